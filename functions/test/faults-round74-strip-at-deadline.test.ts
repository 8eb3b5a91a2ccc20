import type { IncomingMessage } from 'node:http';
import { flow } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 74: a `ctx.edit.removeAttachments()` strip cut by the deadline. Strip means stripped, or not delivered:
// an update that was not committed bounces the recipients who would receive the attachment (`uncommittedStripVerdict`),
// but only on the path that finished; a deadline before the commit (the staged upload held, so PutRawMessageContent
// was never sent) answered DEFAULT, the attachment delivered as it came. And a deadline after PutRawMessageContent
// was sent leaves the strip perhaps applied: that is no bounce either, but a failed invocation, whose retry reads
// what WorkMail holds.
const t = proxiedStack([UPDATES]);
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});
beforeEach(() => {
  escaped.length = 0;
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStaged = (req: IncomingMessage) => req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);
const EXE_BODY = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');

function scenario(seed: string) {
  const handler = flow({
    rules: [
      {
        name: 'strip-exe',
        run(ctx) {
          ctx.edit.removeAttachments((p) => /\.exe$/i.test(p.filename || ''));
        },
      },
    ],
    updates: { bucket: UPDATES },
  });
  const id = t.stack.flow.load(withExe(200_000, seed));
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  const held = () => t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
  return { handler, event, held };
}

describe('fault round 74: removeAttachments() cut by the deadline', () => {
  it('the staged upload held past the deadline: the attachment is not delivered', async () => {
    const s = scenario('r74-strip-staged');
    let staged = 0;
    t.s3p.decide = (req) => (isStaged(req) && ++staged > 0 ? { do: 'hang' } : { do: 'forward' });
    const first = await invoke(s.handler, s.event, 2_500);
    const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; staged ${staged}`;
    expect(staged, facts).toBeGreaterThan(0);
    // Either refused (the strip fallback) or failed for a retry; never delivered with the attachment.
    if (!first.error) expect(firstAction(first.response), facts).toBe('BOUNCE');
    expect(s.held().includes(EXE_BODY), facts).toBe(true); // nothing was committed
    expect(escaped, facts).toEqual([]);
  }, 60_000);

  it('PutRawMessageContent applied after the answer: no bounce; the retry delivers it stripped', async () => {
    const s = scenario('r74-strip-late-put');
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let puts = 0;
    t.flowp.decide = (req) =>
      isPutRaw(req) && ++puts > 0 ? { do: 'after', until: gate } : { do: 'forward' };
    const first = await invoke(s.handler, s.event, 2_500);
    open();
    await new Promise((r) => setTimeout(r, 300));
    t.flowp.decide = () => ({ do: 'forward' });
    const retry = await invoke(s.handler, s.event);
    const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; retry: ${retry.error ? describeErrors([retry.error]) : JSON.stringify(retry.response)}; puts ${puts}`;
    expect(puts, facts).toBeGreaterThan(0);
    expect(first.error, facts).toBeDefined();
    expect(retry.error, facts).toBeUndefined();
    expect(firstAction(retry.response), facts).toBe('DEFAULT');
    expect(s.held().includes(EXE_BODY), facts).toBe(false);
    expect(escaped, facts).toEqual([]);
  }, 60_000);
});
