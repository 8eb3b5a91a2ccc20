import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { exeOrNote } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 107 (an outside sender against the guard's pilot group): an event WorkMail truncated (its recipient
// list cut) may leave the pilot's recipients unlisted. `PILOT_RECIPIENTS` ran each protection for the listed pilot
// recipients only; with none listed nothing ran, every listed recipient was DEFAULT, and the unlisted ones, the pilot's
// among them, got the most protective verdict of the listed: DEFAULT. An executable addressed to a long list with the
// pilot's mailbox past the cut reached it unchecked. Not knowing whether the pilot is among the recipients is not
// allowing: on a truncated event a pilot's protection decides for every listed recipient.
const stack = useLocalStack();
const LISTED = ['bob@corp.example', 'carol@corp.example'];

async function inbound(withExe: boolean, truncated: boolean, recipients = LISTED) {
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: 'updates',
    PILOT_RECIPIENTS: 'ceo@corp.example',
  });
  const messageId = stack().flow.load(exeOrNote(withExe));
  const event = makeFlowEvent({ messageId, mailFrom: 'x@evil.example', recipients, truncated });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  const read = readResponse(response, recipients, 'INBOUND');
  return { listed: recipients.map((r) => read.verdicts.get(r)?.type), response };
}

describe('A107-3: a truncated event hiding the pilot recipient', () => {
  it('an executable on a truncated event listing no pilot recipient is bounced', async () => {
    const { listed, response } = await inbound(true, true);
    expect(listed).toEqual(['BOUNCE', 'BOUNCE']);
    expect(JSON.stringify(response)).toContain('BOUNCE');
  });
  it('control: ordinary mail on a truncated event is delivered', async () => {
    expect((await inbound(false, true)).listed).toEqual(['DEFAULT', 'DEFAULT']);
  });
  it('control: an untruncated event listing no pilot recipient leaves them outside the pilot', async () => {
    expect((await inbound(true, false)).listed).toEqual(['DEFAULT', 'DEFAULT']);
  });
  it('control: the listed pilot recipient is checked, the others are not', async () => {
    expect((await inbound(true, false, ['ceo@corp.example', 'bob@corp.example'])).listed).toEqual([
      'BOUNCE',
      'DEFAULT',
    ]);
  });
});
