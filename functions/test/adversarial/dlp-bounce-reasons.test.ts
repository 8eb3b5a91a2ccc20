import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// The sender of a refused message is told why: numbers found, or part of the message not checked (round 30's
// false-positive hunt: a reply refused for an undecodable Subject told its sender to remove card numbers).

const kit = attackerKit(useLocalStack());

async function bounceMessage(message: Buffer, env: Record<string, string> = {}) {
  const verdict = await kit.outboundVerdict(message, env);
  return verdict?.type === 'BOUNCE' ? verdict.message : verdict?.type;
}

const FROM = 'From: Bob <bob@corp.example>';
// `4111` in EBCDIC: a Subject the DLP cannot read.
const UNREADABLE = mail([FROM, 'Subject: =?ibm037?Q?=F4=F1=F1=F1?='], 'hello\r\n');
const CARD = mail([FROM, 'Subject: order'], 'Card: 4111 1111 1111 1111\r\n');

describe('outbound-policy tells the sender why a message was refused', () => {
  it('says numbers were found when they were, and that part could not be checked when it could not', async () => {
    expect(await bounceMessage(CARD)).toMatch(/it contains payment card or bank account \(IBAN\) numbers/);
    const unread = await bounceMessage(UNREADABLE);
    expect(unread).toMatch(/part of it could not be checked for payment card or bank account/);
    expect(unread).not.toMatch(/it contains/);
  });

  it('takes each message from its own setting', async () => {
    const env = {
      SENSITIVE_DATA_BOUNCE_MESSAGE: 'Numbers found.',
      SENSITIVE_DATA_UNREAD_BOUNCE_MESSAGE: 'Could not be checked.',
    };
    expect(await bounceMessage(CARD, env)).toBe('Numbers found.');
    expect(await bounceMessage(UNREADABLE, env)).toBe('Could not be checked.');
  });
});
