import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14: a hex digest holds a run of 16 digits between two of its letters often enough to matter:
// by a simulation of random digests, 0.5 in 10,000 SHA-1s, 1.6 in 10,000 SHA-256s and 5.8 in 10,000 SHA-512s hold
// one that passes Luhn under a card network's prefix, and the DLP read it as a card glued to letters
// (`PAN4111111111111111` counts). A release announcement listing 20 artefacts' SHA-256 and SHA-512 sums bounced about
// once in 70, a `git log` of 500 commits about once in 40. A run of digits with hex letters on both sides, inside one
// token of hex digits and letters of a digest's length (32, 40, 56, 64, 96 or 128) in one case, standing apart from
// other words, is a digest's, not a card.
const kit = attackerKit(useLocalStack());

const VISA = '4539578763621486';
const MASTERCARD = '5425233430109903';
/** A lower-case hex token of `length` holding `digits` at `at`, hex letters around it. */
const digest = (length: number, digits: string, at = 10) => {
  const filler = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'.repeat(2);
  const token = `${filler.slice(0, at - 1)}a${digits}f${filler}`.slice(0, length);
  expect(token).toHaveLength(length);
  return token;
};
const outbound = (body: string) =>
  mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'], `${body}\r\n`);

describe('FP14 checksums and commit ids whose digits look like a card are sent', () => {
  const cases: Record<string, string> = {
    'a sha256sum listing': [
      'wmflow 3.2.0 is out. Checksums:',
      `${digest(64, VISA)}  wmflow-3.2.0.tar.gz`,
      `${digest(64, MASTERCARD, 30)}  wmflow-3.2.0.zip`,
    ].join('\r\n'),
    "a BSD-style SHA512 line (shasum's --tag)": `SHA512 (wmflow-3.2.0.tar.gz) = ${digest(128, VISA, 77)}`,
    'an upper-case Get-FileHash output': `SHA256          ${digest(64, MASTERCARD).toUpperCase()}       C:\\dist\\setup.msi`,
    'a git log line': `commit ${digest(40, VISA, 12)}\r\nAuthor: Bob <bob@corp.example>\r\n\r\n    Fix the parser`,
    'an MD5 in a download page text': `md5: ${digest(32, VISA, 5)}`,
    'a git format-patch first line': `From ${digest(40, MASTERCARD, 3)} Mon Sep 17 00:00:00 2001`,
  };
  for (const [name, body] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(outbound(body))).toBe('DEFAULT');
    });
  it('(control) a checksum listing without such digits is sent', async () => {
    expect(await kit.outbound(outbound(`${'e3b0c44298fc1c149afbf4c8996fb924'.repeat(2)}  a.tar.gz`))).toBe(
      'DEFAULT',
    );
  });
});

// What still reads as a card: the digits at a token's edge, a token of no digest's length or of mixed case, one glued
// to another word, a grouped card inside hex letters, and a card on its own.
describe('FP14 held: a card beside hex letters that is no digest is still found', () => {
  const held: Record<string, string> = {
    'a card glued to two hex letters each side': `ref ab${VISA}cd`,
    'a card at the start of a 64-character token': `${VISA}${'c4ea'.repeat(12)}`,
    'a card at the end of a 64-character token': `${'c4ea'.repeat(12)}${VISA}`,
    'a token of 63 characters': digest(63, VISA),
    'a token of 65 characters': `${digest(64, VISA)}a`,
    'a token of mixed case': digest(64, VISA).replace(/e3b0/, 'E3B0'),
    'a 64-character token glued to a word': `${digest(64, VISA)}g`,
    'a token glued to a word before it': `sha${digest(64, VISA)}`,
    'a grouped card between hex letters': `aa${VISA.replace(/(\d{4})(?=\d)/g, '$1 ')}ff`,
    'a card on its own': `card ${VISA}`,
  };
  for (const [name, body] of Object.entries(held))
    it(`bounces ${name}`, async () => {
      expect(await kit.outboundVerdict(outbound(body))).toMatchObject({
        type: 'BOUNCE',
        message: expect.stringContaining('contains payment card'),
      });
    });
});
