import { expect, it } from 'vitest';
import { type AttackerKit, mail } from './attacker-kit.js';

// Outgoing text messages and the bounce/pass tables of the DLP evasion rounds (52 to 54).

/** An outgoing message from inside whose body is `body` (8bit UTF-8, `type` text/plain by default). */
export const outgoing = (body: string, type = 'text/plain') =>
  mail(
    [
      'From: Bob <bob@corp.example>',
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: 8bit',
    ],
    Buffer.from(`Hi,\r\n\r\n${body}\r\n\r\nBob\r\n`),
  );

/** The test card 4111 1111 1111 1111 with its groups joined by `sep`. */
export const card = (sep: string) => `Card: ${['4111', '1111', '1111', '1111'].join(sep)}`;

/** The test IBAN DE89 3704 0044 0532 0130 00 with its groups joined by `sep`. */
export const iban = (sep: string) => `IBAN: ${['DE89', '3704', '0044', '0532', '0130', '00'].join(sep)}`;

/** One test per case: the outbound-policy bounces the message. */
export function bounces(kit: AttackerKit, cases: Record<string, Buffer>): void {
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
}

/** One test per case: the outbound-policy sends the message. */
export function passes(kit: AttackerKit, cases: Record<string, Buffer>): void {
  for (const [how, message] of Object.entries(cases))
    it(`passes ${how}`, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
}
