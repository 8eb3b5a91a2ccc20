import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { DEFAULT_RATE_TABLE } from '@wmflow/local';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { mail } from './attacker-kit.js';
import { guardRateSender, storm } from './guard-rate-send.js';
import { useLocalStack } from './stack.js';

// Attacker round 109: the guard's mail-storm stopper (STORM_GROUPS) and its inbound `recipient` / `pair` rate limits
// counted a routed spelling of an organization mailbox apart from the mailbox. Round 107 matches a local part naming
// a route (`all-staff%corp.example@corp.example`, `x!corp.example!all-staff@corp.example`, a quoted `@`) to the
// mailbox at its end, which a relay honouring the form delivers to; round 103 counts a group by its mailbox. But the
// counter was the spelling's own: the percent hack's later hops and a bang path's earlier ones are free text, so an
// outside sender writing `all-staff%corp.example%1@`, `…%2@`, … (or `1!corp.example!all-staff@`, …) had a fresh
// counter each message and reached the whole staff past STORM_THRESHOLD, and the CEO past a per-recipient limit.
// A routed recipient is now counted under the mailbox at each end of its route (packages/rules/src/rate/keys.ts,
// mail-storm.ts; packages/core/src/address.ts `reachedMailboxes`).
const stack = useLocalStack(['updates', 'inbound-mail']);
const send = guardRateSender(stack, 'r109');

describe('A109-1: STORM_GROUPS counts a routed spelling as the mailbox at its end', () => {
  const cases: Record<string, (g: string) => string[]> = {
    'percent hacks with free later hops': (g) => [
      `${g}%corp.example%1@corp.example`,
      `${g}%corp.example%2@corp.example`,
      `${g}%corp.example%3@corp.example`,
    ],
    'bang paths with free earlier hops': (g) => [
      `1!corp.example!${g}@corp.example`,
      `2!corp.example!${g}@corp.example`,
      `3!corp.example!${g}@corp.example`,
    ],
    'the plain address, a percent hack, a quoted at sign': (g) => [
      `${g}@corp.example`,
      `${g}%corp.example@corp.example`,
      `"${g}@corp.example"@corp.example`,
    ],
    'routes with sub-addresses, capitals, a quoted trailing dot': (g) => [
      `${g}+a%corp.example@corp.example`,
      `"${g}%CORP.example."@corp.example`,
      `corp.example!${g}+c@corp.example`,
    ],
  };
  let i = 0;
  for (const [label, spellings] of Object.entries(cases)) {
    const group = `routed-staff${i++}`;
    it(`bounces the third message to ${label}`, async () => {
      const env = storm(`${group}@corp.example`);
      const verdicts = [];
      for (const r of spellings(group)) verdicts.push((await send(env, [r]))[0]);
      expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE']);
    });
  }
});

describe('A109-2: an inbound per-recipient limit counts a routed spelling as its mailbox', () => {
  it('ceo%corp.example%N@ share the CEO counter (RATE_LIMITS key recipient)', async () => {
    const env = {
      RATE_LIMITS: JSON.stringify([{ key: 'recipient', limit: 2, window: '1h', action: 'junk' }]),
    };
    const verdicts = [];
    for (const r of [
      'ceo109@corp.example',
      'ceo109%corp.example%a@corp.example',
      'b!corp.example!ceo109@corp.example',
    ])
      verdicts.push((await send(env, [r]))[0]);
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'MOVE_TO_JUNK']);
  });
  it('a sender→recipient pair counts a routed recipient as its mailbox (RATE_LIMITS key pair)', async () => {
    const env = { RATE_LIMITS: JSON.stringify([{ key: 'pair', limit: 1, window: '1h' }]) };
    const first = await send(env, ['cfo109@corp.example']);
    const second = await send(env, ['cfo109%corp.example%z@corp.example']);
    expect([first[0], second[0]]).toEqual(['DEFAULT', 'BOUNCE']);
  });
});

describe('A109 benign controls (storms and limits)', () => {
  it('a routed spelling of another mailbox is not held with the group', async () => {
    const env = storm('quiet-team@corp.example');
    for (let k = 0; k < 3; k++) await send(env, ['quiet-team@corp.example']);
    expect(
      await send(env, [
        'bob%corp.example@corp.example',
        'quiet-team%other.example@corp.example',
        'discount-50%@corp.example',
        'bob@corp.example',
      ]),
    ).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT', 'DEFAULT']);
  });
  it('one message to the group and its routed spelling counts once', async () => {
    const env = storm('once-team@corp.example');
    expect(await send(env, ['once-team@corp.example', 'once-team%corp.example@corp.example'])).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(await send(env, ['once-team@corp.example'])).toEqual(['DEFAULT']);
  });
  it('ordinary mail under a per-recipient limit is delivered', async () => {
    const env = {
      RATE_LIMITS: JSON.stringify([{ key: 'recipient', limit: 2, window: '1h', action: 'junk' }]),
    };
    expect(await send(env, ['ann109@corp.example', 'ann109.smith@corp.example'])).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(await send(env, ['ann109@corp.example'])).toEqual(['DEFAULT']);
  });
});

// The same on SES: guard-ses counts the receipt's recipients as the guard counts WorkMail's.
async function sendSes(env: Record<string, string>, recipients: string[], source = 'x@evil.example') {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: 'inbound-mail',
    STORED_KEY_PREFIX: 'inbound/',
    BOUNCE_SENDER: 'postmaster@corp.example',
    TAG_EXTERNAL: 'false',
    RATE_TABLE: DEFAULT_RATE_TABLE,
    ...env,
  });
  const messageId = sesMessageId();
  const bytes = mail(
    [`From: ${source}`, `Subject: all hands ses ${messageId}`, 'Content-Type: text/plain'],
    'Reply all!',
  );
  await stack().s3.send(
    new PutObjectCommand({ Bucket: 'inbound-mail', Key: `inbound/${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const event = makeSesEvent({ messageId, source, recipients });
  return ((await handler(event, lambdaContext())) as { disposition: string }).disposition;
}

describe('A109-1 on SES: guard-ses counts a routed spelling as the mailbox at its end', () => {
  it('stops the third message to routed spellings of a storm group', async () => {
    const env = storm('ses-staff@corp.example');
    const answers = [];
    for (const r of [
      'ses-staff%corp.example%1@corp.example',
      '2!corp.example!ses-staff@corp.example',
      'ses-staff%corp.example%3@corp.example',
    ])
      answers.push(await sendSes(env, [r]));
    expect(answers).toEqual(['CONTINUE', 'CONTINUE', 'STOP_RULE_SET']);
  });
  it('benign: ordinary mail to the group under the threshold continues', async () => {
    const env = storm('ses-quiet@corp.example');
    expect(await sendSes(env, ['ses-quiet@corp.example', 'bob@corp.example'])).toBe('CONTINUE');
  });
});
