import type { IncomingMessage } from 'node:http';
import { flow } from '@wmflow/core';
import { captureLogger, makeFlowEvent } from '@wmflow/core/testing';
import { stampHeaders } from '@wmflow/rules';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bigMessage, describeErrors, invoke, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 63 (held): one warm Lambda container. Invocation 1's staged update is held on its way to S3 past its
// deadline, so it answers with the edit skipped "before the update was committed"; the process is frozen with the
// upload in flight. WorkMail's retry of the same message thaws it and the held upload lands in the middle of the
// retry. Nothing of invocation 1 may go on to PutRawMessageContent after its answer said the edit was not made, the
// retry commits the edit once, and no rejection of invocation 1 escapes into the retry.
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
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStagedPut = (req: IncomingMessage) => req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);

describe('fault round 63: a staged update left over from the invocation before', () => {
  it('lands during the retry: no update from the first invocation, one field after the retry', async () => {
    const id = t.stack.flow.load(bigMessage(200_000, 'r63-warm-update'));
    const logger = captureLogger();
    const handler = flow({
      logger,
      rules: [stampHeaders({ headers: { 'X-Corp-Scan': 'done' }, mode: 'add' })],
      updates: { bucket: UPDATES },
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const posts: string[] = [];
    t.flowp.decide = (req) => {
      if (isPutRaw(req)) posts.push(req.url ?? '');
      return { do: 'forward' };
    };
    let staged = 0;
    t.s3p.decide = (req) =>
      isStagedPut(req) && staged++ === 0 ? { do: 'after', until: gate } : { do: 'forward' };
    const first = await invoke(handler, event, 2_500);
    const firstEdit = logger.lines.at(-1)?.attributes.edit;
    const postsAfterFirst = posts.length;
    // The retry thaws the process; the held upload is let through as the retry stages its own.
    t.s3p.decide = (req) => {
      if (isStagedPut(req)) {
        staged++;
        release();
      }
      return { do: 'forward' };
    };
    const retry = await invoke(handler, event);
    await new Promise((r) => setTimeout(r, 300));
    const facts = `first: ${first.error ? describeErrors([first.error]) : JSON.stringify(firstEdit)}; retry: ${retry.error ? describeErrors([retry.error]) : 'answered'}; posts ${posts.length}`;
    expect(staged, facts).toBeGreaterThan(1);
    expect(first.error, facts).toBeUndefined();
    expect(firstEdit, facts).toEqual({
      status: 'skipped',
      reason: 'deadline reached before the update was committed',
    });
    expect(postsAfterFirst, facts).toBe(0);
    expect(retry.error, facts).toBeUndefined();
    expect(logger.lines.at(-1)?.attributes.edit, facts).toMatchObject({ status: 'committed' });
    // One update, from the retry: the first invocation's never followed its answer.
    expect(posts.length, facts).toBe(1);
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    const header = held.slice(0, held.indexOf('\r\n\r\n'));
    expect(header.split('\r\n').filter((l) => /^X-Corp-Scan: done$/i.test(l)).length, facts).toBe(1);
    expect(escaped, facts).toEqual([]);
  }, 60_000);
});
