import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-7: a leaf part whose Content-Transfer-Encoding is `quoted-printable;`, `quoted-printable junk` or
// `"quoted-printable"` is read undecoded (the splitter does not know the value) and is not "cannot be decoded"
// either: unwrapped-content.ts DECODABLE = /base64|uu|yenc|binhex/ leaves quoted-printable out. A client that takes
// the first token (Thunderbird's MimeHeaders_get strip_p) decodes it: a PE named invoice.pdf (=4D=5A…), a .html
// page whose script is all =XX, and a card in =34111 form all pass.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round45/A45-7-qp-leaf-spelling`;
describe('A45-7: a leaf in quoted-printable spelled with junk, a semicolon or quotes', () => {
  for (const f of ['exe-semicolon', 'exe-junk', 'exe-quoted', 'html-semicolon', 'html-junk', 'html-quoted'])
    it(`guard bounces ${f}`, async () => {
      expect((await kit.inbound(readFileSync(`${dir}/guard-${f}.eml`))).verdict).toBe('BOUNCE');
    });
  for (const f of ['semicolon', 'junk', 'quoted'])
    it(`DLP bounces ${f}`, async () => {
      expect(await kit.outbound(readFileSync(`${dir}/dlp-${f}.eml`))).toBe('BOUNCE');
    });
});
