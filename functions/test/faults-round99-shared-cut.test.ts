import type { IncomingMessage } from 'node:http';
import { type FlowHandler, flow, rule } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { blockAttachments, journalToS3 } from '@wmflow/rules';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  assertJournalIntact,
  bigMessage,
  firstAction,
  invoke,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, proxiedStack } from './scripted-proxy.js';

// Fault round 99 (F99-1): one invocation's message shared by two rules, the first of which found it cut. A journal that
// fails open (`onError: 'fail-open'` under `transientErrors: 'rule-policy'`, a custom Lambda that would rather deliver
// than hold mail when the archive is down) runs first; GetRawMessageContent is answered chunked and ended early,
// well-formed, just before the executable's part, so the read looks whole; the journal's second fetch finds it longer
// and fails (`short`). The attachment rule after it was then served the cut bytes as the whole message: it saw no
// executable and the message was delivered with it (`DEFAULT`). It must now fail too (its policy: BOUNCE), never
// decide on the cut.
const t = proxiedStack([JOURNAL, UPDATES]);
const isGetRaw = (req: IncomingMessage) => req.method === 'GET' && /^\/messages\//.test(req.url ?? '');
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const handler = (): FlowHandler =>
  flow({
    direction: 'INBOUND',
    transientErrors: 'rule-policy',
    rules: [
      journalToS3({ bucket: JOURNAL, keyTemplate: 'sc99/{messageId}', onError: 'fail-open' }),
      blockAttachments(),
    ],
  });

/** Every GetRawMessageContent answered chunked; the first one ended early, well-formed, after `keep` bytes. */
const firstCut = (keep: number) => {
  let reads = 0;
  return (req: IncomingMessage): Act =>
    !isGetRaw(req)
      ? { do: 'forward' }
      : ++reads === 1
        ? { do: 'forward-chunked-cut', keep }
        : { do: 'forward-chunked' };
};

describe('fault round 99: a message found cut by one rule is not served whole to the next', () => {
  it('the journal (failing open) finds the read cut before run.exe: the attachment rule never answers DEFAULT', async () => {
    const bytes = withExe(200_000, 'f99-shared-cut');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = firstCut(bytes.indexOf('--b1\r\nContent-Type: application/octet-stream'));
    const { response, error } = await invoke(
      handler(),
      makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
    );
    // The attachment rule cannot read the message: its blocking verdict (or a failed invocation), never DEFAULT.
    if (!error) expect(firstAction(response)).toBe('BOUNCE');
    const journal = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(journal.problems.filter((p) => p.includes(id))).toEqual([]);
  }, 60_000);

  // The attachment rule decided first, on the bytes the read then held, before the journal found them cut: its verdict
  // rests on no message. The chain has no way back to a verdict settled, so the invocation fails and WorkMail's retry
  // decides on the message read whole.
  it('the attachment rule first, then the journal (failing open) finds the read cut: the invocation fails; the retry bounces', async () => {
    const bytes = withExe(200_000, 'f99-shared-cut-after');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = firstCut(bytes.indexOf('--b1\r\nContent-Type: application/octet-stream'));
    const attachmentsFirst = flow({
      direction: 'INBOUND',
      transientErrors: 'rule-policy',
      rules: [
        blockAttachments(),
        journalToS3({ bucket: JOURNAL, keyTemplate: 'sc99/{messageId}', onError: 'fail-open' }),
      ],
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(attachmentsFirst, event);
    expect(first.error?.message).toMatch(/^rule message-read failed: .*a read ended early/);
    const retry = await invoke(attachmentsFirst, event);
    expect(retry.error).toBeUndefined();
    expect(firstAction(retry.response)).toBe('BOUNCE');
    const journal = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(journal.problems.filter((p) => p.includes(id))).toEqual([]);
  }, 60_000);

  // The same, with a rule after the journal that is still running at the deadline: the answer at the deadline must not
  // carry the verdict decided on the cut bytes either (a reviewer's probe of the fix above).
  it('the same with a later rule still running at the deadline: the invocation fails, never DEFAULT', async () => {
    const bytes = withExe(200_000, 'f99-shared-cut-deadline');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = firstCut(bytes.indexOf('--b1\r\nContent-Type: application/octet-stream'));
    const stalled = flow({
      direction: 'INBOUND',
      transientErrors: 'rule-policy',
      deadline: { safetyMarginMs: 1000 },
      rules: [
        blockAttachments(),
        journalToS3({ bucket: JOURNAL, keyTemplate: 'sc99/{messageId}', onError: 'fail-open' }),
        rule('stalls', (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))),
      ],
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(stalled, event, 4_000);
    expect(first.error?.message).toMatch(/^rule message-read failed: .*a read ended early/);
  }, 60_000);

  it('control: the same message read whole is journaled and bounced; a benign one journaled and delivered', async () => {
    const bytes = withExe(200_000, 'f99-shared-whole');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = (req) => (isGetRaw(req) ? { do: 'forward-chunked' } : { do: 'forward' });
    const event = (messageId: string) =>
      makeFlowEvent({ messageId, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });
    const exe = await invoke(handler(), event(id));
    expect(exe.error).toBeUndefined();
    expect(firstAction(exe.response)).toBe('BOUNCE');
    const benignBytes = bigMessage(200_000, 'f99-shared-benign');
    const benign = t.stack.flow.load(benignBytes);
    const ok = await invoke(handler(), event(benign));
    expect(ok.error).toBeUndefined();
    expect(firstAction(ok.response)).toBe('DEFAULT');
    const journal = await assertJournalIntact(
      t.stack,
      new Map([
        [id, bytes],
        [benign, benignBytes],
      ]),
    );
    expect(journal.problems.filter((p) => p.includes(id) || p.includes(benign))).toEqual([]);
    expect(journal.copies.filter((k) => k.includes(id) || k.includes(benign))).toHaveLength(2);
  }, 60_000);
});
