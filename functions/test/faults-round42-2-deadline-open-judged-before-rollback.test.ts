import { flow } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { blockAttachments } from '@wmflow/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeErrors,
  firstAction,
  invoke,
  STALLING_RULES,
  startFaultStack,
  withExe,
} from './fault-harness.js';

// F42-2: the F41-1 fix judges "due to run" on the state BEFORE the rollback. runInvocation computes
// `unfinishedRetriedRule(s.rules, state, …)` (its `open` = recipients with no verdict in the LIVE state) and only
// then `state.freeze()` rolls the running rule's uncommitted settlements back to the checkpoint. A rule running at
// the deadline that had already settled (uncommitted: rules are atomic) the recipients makes the later rethrow
// protection look "not due" (no open recipient), no DeadlineError; the freeze then reopens them, settleUndecided
// skips string policies, and they get the fallback (DEFAULT): run.exe delivered, WorkMail not asked to retry.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(42);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('F42-2: a rethrow protection after a rule that settled, then stalled, at the deadline', () => {
  for (const first of STALLING_RULES) {
    it(`[${first.name}, blockAttachments({ onUndecidable: rethrow })]: never answers DEFAULT for run.exe`, async () => {
      const id = stack.flow.load(withExe(20_000, `f42-2-${first.name}`));
      const handler = flow({
        synchronous: true,
        organizationDomains: ['corp.example'],
        rules: [first, blockAttachments({ onUndecidable: 'rethrow' })],
      });
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      const { response, error } = await invoke(handler, event, 3_000);
      const facts = JSON.stringify({ response, error: error ? describeErrors([error]) : undefined });
      expect(error !== undefined || firstAction(response) !== 'DEFAULT', facts).toBe(true);
    }, 30_000);
  }
});
