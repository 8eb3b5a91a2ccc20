import { describe, expect, it } from 'vitest';
import { captureLogger } from '../testing/capture-logger.js';
import { makeFlowEvent } from '../testing/events.js';
import { lambdaContext } from '../testing/lambda-context.js';
import { Verdicts } from '../verdicts.js';
import { flow } from '../workmail/flow-handler.js';
import type { FlowResponse } from '../workmail/response.js';
import { forRecipients } from './combinators.js';
import type { Rule } from './types.js';

// Attacker round 107: a protection limited to a pilot group (`forRecipients`) on an event WorkMail truncated. The
// group's recipients may be among those the event does not list, who get the most protective verdict of the listed
// ones; when the protection failed (or the deadline came) its fail-closed verdict settled only the listed group
// recipients: none, so nobody was refused.
const BOUNCE = Verdicts.bounce('could not be checked');
const failing: Rule<'INBOUND'> = {
  name: 'failing-protection',
  onError: { failClosed: BOUNCE },
  run() {
    throw new Error('cannot read the message');
  },
};
const refusing: Rule<'INBOUND'> = { name: 'refusing', run: (ctx) => void ctx.settle(BOUNCE) };

async function answer(rule: Rule<'INBOUND'>, truncated: boolean): Promise<FlowResponse> {
  const handler = flow({ rules: [forRecipients(['ceo@corp.example'], rule)], logger: captureLogger() });
  const event = makeFlowEvent({ recipients: ['bob@corp.example'], truncated });
  return (await handler(event, lambdaContext())) as FlowResponse;
}
const types = (r: FlowResponse) => JSON.stringify(r.actions.map((a) => a.action.type));

describe('attacker round 107: a pilot protection on a truncated event', () => {
  it('a protection that fails closed refuses the listed recipients (the pilot may be unlisted)', async () => {
    expect(types(await answer(failing, true))).toBe('["BOUNCE"]');
  });
  it('a protection that decides decides for the listed recipients', async () => {
    expect(types(await answer(refusing, true))).toBe('["BOUNCE"]');
  });
  it('control: an untruncated event leaves recipients outside the group alone', async () => {
    expect(types(await answer(failing, false))).toBe('["DEFAULT"]');
    expect(types(await answer(refusing, false))).toBe('["DEFAULT"]');
  });
});
