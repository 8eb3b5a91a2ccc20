import { flow, type Rule } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { blockAttachments, journalToS3 } from '@wmflow/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  JOURNAL,
  startFaultStack,
  untilAborted,
  withExe,
} from './fault-harness.js';

// F41-1: the deadline guard fails the invocation only when the rule RUNNING at the deadline has policy 'rethrow'.
// A journal (side effect, policy 'rethrow': "a compliance journal must not lose a message silently") placed AFTER a
// rule that is still running at the deadline never runs at all, yet the invocation answers normally: WorkMail does
// not retry, the message is never journaled. No fault but time is needed: any slow rule before the journal (a
// stalled S3/DynamoDB call of a rate rule, a slow DLP read, a throttled GetRawMessageContent being retried) does it.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(41);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

// A rule before the journal that is still working when the deadline comes (it stops when aborted, as rules should).
const slowCheck = (policy: Rule['onError']): Rule => ({
  name: 'slow-check',
  onError: policy,
  async run(ctx) {
    await untilAborted(ctx.signal);
  },
});

async function journaled(messageId: string): Promise<string[]> {
  return (await stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(messageId));
}

describe('F41-1: a journal not yet reached at the deadline', () => {
  for (const synchronous of [true, false]) {
    for (const policy of ['fail-open', { failClosed: { type: 'BOUNCE', message: 'not checked' } }] as const) {
      const label = `${synchronous ? 'synchronous' : 'asynchronous'}, slow rule ${typeof policy === 'string' ? policy : 'fail-closed'}`;
      it(`${label}: the invocation fails (WorkMail retries) or the message is journaled, never acknowledged unjournaled`, async () => {
        const id = stack.flow.load(bigMessage(20_000, `f41-1-${label}`));
        const handler = flow({
          synchronous,
          organizationDomains: ['corp.example'],
          rules: [slowCheck(policy as Rule['onError']), journalToS3({ bucket: JOURNAL })],
        });
        const event = makeFlowEvent({
          messageId: id,
          mailFrom: 'ann@partner.example',
          recipients: ['bob@corp.example'],
        });
        const { response, error } = await invoke(handler, event, 3_000);
        const keys = await journaled(id);
        const facts = JSON.stringify({ response, error: error ? describeErrors([error]) : undefined, keys });
        // Safe: the invocation failed (so it is retried and the journal runs), or the copy is there.
        expect(error !== undefined || keys.length > 0, facts).toBe(true);
      }, 30_000);
    }
  }
});

// The same gap for a protection configured `onUndecidable: 'rethrow'` (docs/threat-model.md's own example:
// "'rethrow' (WorkMail retries, then applies the rule's fallback action)"): when the deadline comes while an earlier
// rule runs, settleUndecided() skips string policies and the guard only throws for the RUNNING rule, so the
// protection that never ran leaves its recipients to the flow's fallback (DEFAULT): an executable is delivered and
// WorkMail is not asked to retry.
describe('F41-1b: a rethrow protection not yet reached at the deadline', () => {
  it('blockAttachments({ onUndecidable: rethrow }) after a slow rule: never answers DEFAULT for run.exe', async () => {
    const id = stack.flow.load(withExe(20_000, 'f41-1b-exe'));
    const handler = flow({
      synchronous: true,
      organizationDomains: ['corp.example'],
      rules: [slowCheck('fail-open'), blockAttachments({ onUndecidable: 'rethrow' })],
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event, 3_000);
    const facts = JSON.stringify({ response, error: error ? describeErrors([error]) : undefined });
    // Safe: the invocation failed (WorkMail retries), or the answer is not DEFAULT.
    expect(error !== undefined || firstAction(response) !== 'DEFAULT', facts).toBe(true);
  }, 30_000);
});

// F41-1 as a fault alone, with rules as shipped: the guard's attachment rule first, then the journal. One
// GetRawMessageContent stalls (latency fault); the deadline comes while blockAttachments waits on it: it settles
// BOUNCE (not knowing is not allowing), and the journal, which "runs whatever the verdicts", never runs. The answer is
// given, WorkMail does not retry: the bounced message is never journaled.
describe('F41-1c: a stalled read before the journal', () => {
  it('[blockAttachments(), journalToS3()]: a read stalled past the deadline leaves no copy and no retry', async () => {
    const id = stack.flow.load(bigMessage(20_000, 'f41-1c-stalled'));
    stack.flow.injectFault({ kind: 'latency', ms: 6_000 }, { messageId: id, operation: 'get', times: 1 });
    const handler = flow({
      synchronous: true,
      organizationDomains: ['corp.example'],
      rules: [blockAttachments(), journalToS3({ bucket: JOURNAL })],
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event, 3_000);
    stack.flow.clearFaults();
    const keys = await journaled(id);
    const facts = JSON.stringify({ response, error: error ? describeErrors([error]) : undefined, keys });
    expect(error !== undefined || keys.length > 0, facts).toBe(true);
  }, 30_000);
});
