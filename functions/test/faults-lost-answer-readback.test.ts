// Fault round 39 (session 30): PutRawMessageContent's answer is lost (the update applied, the connection dropped on every SDK attempt)
// and the read-back that would tell whether it was applied fails transiently (GetRawMessageContent answers 500
// after the SDK's retries). commitUpdate calls the outcome `unknown` and the invocation answers instead of failing:
// with ATTACHMENT_ACTION=strip the guard then BOUNCEs a message that WorkMail already holds stripped (a retry would
// have read it back and delivered it), and outbound-policy answers DEFAULT for a disclaimer that may never have been
// added. Both edits are idempotent on a retry (the seal, the disclaimer's dedupe), so failing is safe.
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { firstAction, invoke, startFaultStack, UPDATES, withExe } from './fault-harness.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('F39-2: an update whose answer was lost, and whose read-back failed transiently', () => {
  it('guard strip: the update applied, its answer lost and the read-back failing, the invocation fails and the retry delivers', async () => {
    const bytes = withExe(200_000, 'f2-strip-unknown');
    const id = stack.flow.load(bytes);
    // Every PutRawMessageContent the SDK sends is applied and unanswered.
    stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 10 });
    // The guard's own read of the message succeeds; the read-back after the lost answer gets 500s.
    stack.flow.injectFault({ kind: 'server-error' }, { messageId: id, operation: 'get', skip: 1, times: 10 });
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event);
    stack.flow.clearFaults();
    const held = stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    const facts = {
      answer: error ? `error ${error.name}` : firstAction(response),
      workmailHoldsStripped: !held.includes('run.exe'),
    };
    // What a retry (had the invocation failed) answers: the message WorkMail holds is stripped, so it is delivered.
    const retry = await invoke(handler, event);
    Object.assign(facts, { retryWouldAnswer: firstAction(retry.response) });
    expect(facts.workmailHoldsStripped, JSON.stringify(facts)).toBe(true);
    expect(firstAction(retry.response), JSON.stringify(facts)).toBe('DEFAULT');
    // Expected: the invocation fails (transient), so WorkMail retries and the retry delivers the stripped message.
    expect(facts.answer, JSON.stringify(facts)).not.toBe('BOUNCE');
  }, 60_000);
});
