import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedCounterClient } from '../../packages/rules/src/rate/store.js';
import { guard } from '../guard/guard.js';
import { bigMessage, describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 74: PutRawMessageContent answered after the Lambda's deadline. The guard told to strip stages the
// stripped message and sends PutRawMessageContent; the deadline guard answers while the request is on its way (its
// answer never comes back to this invocation), and WorkMail applies it afterwards. A strip that was not committed
// bounces its recipients (strip means stripped, or not delivered), but this one may well have been: the bounce
// refused a message WorkMail held stripped, saying the attachment "could not be removed" (round 54's fault, by the
// clock). Whether the update was applied is not known, so the invocation fails and WorkMail's retry decides on the
// message WorkMail holds then: stripped (DEFAULT, nothing to strip), or still the original (stripped now).
const t = proxiedStack([UPDATES]);
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  resetSharedCounterClient();
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  resetSharedCounterClient();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});
beforeEach(() => {
  escaped.length = 0;
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const EXE_BODY = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');

function scenario(seed: string, env: Record<string, string>) {
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    ...env,
  });
  const original = withExe(200_000, seed);
  const id = t.stack.flow.load(original);
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  const held = () => t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
  return { handler, id, event, held, original };
}

/** Holds every PutRawMessageContent until the gate opens, then lets it through (`apply`) or drops it unanswered. */
function holdPuts(apply: boolean) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let puts = 0;
  t.flowp.decide = (req) => {
    if (!isPutRaw(req)) return { do: 'forward' };
    puts++;
    return apply ? { do: 'after', until: gate } : { do: 'hang' };
  };
  return { open, puts: () => puts };
}

describe('fault round 74: PutRawMessageContent answered after the deadline', () => {
  it.each([
    ['applied after the answer', true],
    ['never applied', false],
  ])(
    'a strip whose PutRawMessageContent is %s: no bounce; the retry delivers the message stripped',
    async (_, apply) => {
      const s = scenario(`r74-late-put-${apply}`, { ATTACHMENT_ACTION: 'strip', TAG_EXTERNAL: 'false' });
      const hold = holdPuts(apply);
      const first = await invoke(s.handler, s.event, 2_500);
      // WorkMail applies (or never gets) the update only now, after the invocation answered.
      hold.open();
      await new Promise((r) => setTimeout(r, 300));
      t.flowp.decide = () => ({ do: 'forward' });
      const retry = await invoke(s.handler, s.event);
      const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; retry: ${retry.error ? describeErrors([retry.error]) : JSON.stringify(retry.response)}; puts ${hold.puts()}`;
      expect(hold.puts(), facts).toBeGreaterThan(0);
      // Not knowing whether the strip was committed is no reason to bounce: the invocation fails, WorkMail retries.
      expect(first.error, facts).toBeDefined();
      expect(firstAction(first.response), facts).not.toBe('BOUNCE');
      expect(retry.error, facts).toBeUndefined();
      expect(firstAction(retry.response), facts).toBe('DEFAULT');
      // WorkMail holds the message stripped: the executable is gone, the rest is there.
      expect(s.held().includes(EXE_BODY), facts).toBe(false);
      expect(s.held().includes('filename="report.pdf"'), facts).toBe(true);
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );

  it('under a rate limit, the failed invocation and its retry are one message: counted once', async () => {
    const s = scenario('r74-late-put-rate', {
      ATTACHMENT_ACTION: 'strip',
      TAG_EXTERNAL: 'false',
      RATE_TABLE: 'wmflow-rate',
      RATE_LIMITS: JSON.stringify([{ name: 'r74', key: 'sender', limit: 1, window: '1h' }]),
    });
    const hold = holdPuts(true);
    const first = await invoke(s.handler, s.event, 2_500);
    hold.open();
    await new Promise((r) => setTimeout(r, 300));
    t.flowp.decide = () => ({ do: 'forward' });
    const retry = await invoke(s.handler, s.event);
    // Another message from the same sender: the second of a limit of 1.
    const next = await invoke(
      s.handler,
      makeFlowEvent({
        messageId: t.stack.flow.load(bigMessage(20_000, 'r74-late-put-rate-next')),
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      }),
    );
    const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; retry: ${retry.error ? describeErrors([retry.error]) : JSON.stringify(retry.response)}; next: ${JSON.stringify(next.response)}`;
    expect(first.error, facts).toBeDefined();
    expect(firstAction(retry.response), facts).toBe('DEFAULT');
    expect(s.held().includes(EXE_BODY), facts).toBe(false);
    expect(firstAction(next.response), facts).toBe('BOUNCE');
    expect(escaped, facts).toEqual([]);
  }, 60_000);

  it('a cosmetic edit (the outside-mail tag) whose PutRawMessageContent is answered late still answers DEFAULT', async () => {
    const s = scenario('r74-late-put-tag', { ATTACHMENT_POLICY: 'false' });
    const hold = holdPuts(true);
    const first = await invoke(s.handler, s.event, 2_500);
    hold.open();
    await new Promise((r) => setTimeout(r, 300));
    const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; puts ${hold.puts()}`;
    expect(hold.puts(), facts).toBeGreaterThan(0);
    expect(first.error, facts).toBeUndefined();
    expect(firstAction(first.response), facts).toBe('DEFAULT');
    expect(escaped, facts).toEqual([]);
  }, 60_000);
});
