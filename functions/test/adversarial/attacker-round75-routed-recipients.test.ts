import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { useTwinStack } from './twin-kit.js';

// Round 75: a recipient at an organization domain whose local part names a route (percent hack, bang path, a quoted
// `@`) leaves the organization through any relay that honours it (Postfix's `allow_percent_hack` is on by default):
// outbound-policy settled it DEFAULT beside the internal one, for an internal-only sender and for card numbers.
const stack = useTwinStack();
const CRLF = '\r\n';
const BOB = 'bob@corp.example';
const ROUTED = [
  'x%outside.example@corp.example',
  'outside.example!x@corp.example',
  '"x@outside.example"@corp.example',
];

async function send(env: Record<string, string>, mailFrom: string, to: string, body: string) {
  const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', ...env });
  const messageId = stack().flow.load(
    Buffer.from(`From: ${mailFrom}${CRLF}To: ${to}${CRLF}Subject: hi${CRLF}${CRLF}${body}${CRLF}`),
  );
  const recipients = [to, BOB];
  const event = makeFlowEvent({ direction: 'OUTBOUND', messageId, mailFrom, recipients });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  const verdicts = readResponse(response, recipients, 'OUTBOUND').verdicts;
  return [verdicts.get(to)?.type, verdicts.get(BOB)?.type];
}

describe('round 75: outbound recipients routed out through an organization domain', () => {
  for (const to of ROUTED) {
    it(`an internal-only sender's ${to} bounces, the internal recipient does not`, async () => {
      const env = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' };
      expect(await send(env, 'kiosk@corp.example', to, 'hello')).toEqual(['BOUNCE', 'DEFAULT']);
    });
    it(`card numbers to ${to} bounce`, async () => {
      expect(await send({}, 'alice@corp.example', to, 'card 4111 1111 1111 1111')).toEqual([
        'BOUNCE',
        'BOUNCE',
      ]);
    });
  }

  it("an internal-only sender's sub-address is the sender", async () => {
    const env = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' };
    expect(await send(env, 'kiosk+lobby@corp.example', 'x@outside.example', 'hello')).toEqual([
      'BOUNCE',
      'DEFAULT',
    ]);
  });

  it('benign: plain internal recipients and other senders are delivered', async () => {
    const env = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' };
    expect(await send(env, 'kiosk@corp.example', "o'neil+x@corp.example", 'hello')).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(await send(env, 'kiosk2@corp.example', 'x@outside.example', 'hello')).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(await send({}, 'alice@corp.example', 'x.y@corp.example', 'card 4111 1111 1111 1111')).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
  });

  it("a pilot sender's sub-address is in the pilot", async () => {
    const env = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example', PILOT_SENDERS: 'kiosk@corp.example' };
    expect(await send(env, 'kiosk+lobby@corp.example', 'x@outside.example', 'hello')).toEqual([
      'BOUNCE',
      'DEFAULT',
    ]);
    expect(await send(env, 'alice@corp.example', 'x@outside.example', 'hello')).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
  });
});
