import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14 (round 13's lead: a 14-digit Teams meeting ID read as a Diners Club card). Teams writes
// meeting IDs of 12 to 15 digits in groups of three (`Meeting ID: 252 534 315 394 16`, and since its `/meet/` links
// `259 205 588 311 202`); every one found in public invitations starts with 2, a prefix of no card network at those
// lengths (Mastercard's 2221–2720 is issued at 16 digits only). So Teams invitations leave at the defaults; a number
// under Diners' or American Express's prefix stays a card whatever its label (round 13's decision).
const kit = attackerKit(useLocalStack());

/** Outbound Outlook text of a Teams meeting with `id` (as written, grouped) and its join link. */
const teams = (id: string) =>
  mail(
    ['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'],
    [
      '________________________________________________________________________________',
      'Microsoft Teams meeting',
      `Join: https://teams.microsoft.com/meet/${id.replace(/ /g, '')}?p=ruYnnEPPTZMGp7NJ1v`,
      `Meeting ID: ${id}`,
      'Passcode: JC7Ti6rr',
      'Dial in by phone',
      '+1 323-555-0123,,583946211# United States, Los Angeles',
      'Find a local number',
      'Phone conference ID: 583 946 211#',
      '________________________________________________________________________________',
      '',
    ].join('\r\n'),
  );

describe('FP14 meeting invitations with long meeting IDs are sent', () => {
  // Each Luhn-valid (a last digit changed where needed): the check alone must not make them cards.
  const ids = [
    '238 118 694 484',
    '273 874 380 709 4',
    '252 534 315 394 16',
    '259 205 588 311 202',
    '220 000 000 000 04',
  ];
  for (const id of ids)
    it(`sends a Teams invitation with meeting ID ${id}`, async () => {
      expect(await kit.outbound(teams(id))).toBe('DEFAULT');
    });
  it('sends a Zoom, Webex and Google Meet invitation', async () => {
    const body = [
      'Join Zoom Meeting https://us06web.zoom.us/j/84512345678?pwd=abcDEF123',
      'Meeting ID: 845 1234 5678  Passcode: 123456',
      '+16465588656,,84512345678#,,,,*123456# US (New York)',
      'Webex meeting number (access code): 2634 123 4567, tap +1-415-655-0001,,26341234567##',
      'Google Meet: https://meet.google.com/abc-defg-hij  (US) +1 413-555-0199 PIN: 123 456 789#',
    ].join('\r\n');
    expect(
      await kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain'], `${body}\r\n`)),
    ).toBe('DEFAULT');
  });
});

describe('FP14 held: a card number under a meeting label is still a card', () => {
  for (const id of ['367 690 924 797 71', '378 282 246 310 005', '4111 1111 1111 1111'])
    it(`bounces Meeting ID: ${id}`, async () => {
      expect(await kit.outbound(teams(id))).toBe('BOUNCE');
    });
});
