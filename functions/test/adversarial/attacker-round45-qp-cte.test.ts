import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-1: the A44-4 fix flags a quoted-printable multipart only when its Content-Transfer-Encoding is exactly
// /^\s*quoted-printable\s*$/ (walk-steps.ts describe), while enterNode reads the same header "past comments and
// quotes" and clients take the first token. `quoted-printable (x)`, `(x) quoted-printable`, `"quoted-printable"`,
// `quoted-printable;`, `quoted-printable junk` pass unflagged: the card in =34111 form leaves, the .vbs named in QP
// is delivered.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round45/A45-1-qp-cte-spelling`;
describe('A45-1: quoted-printable multipart with a CTE spelled with a comment, quotes or junk', () => {
  for (const v of ['comment', 'comment-before', 'junk', 'quoted', 'semicolon']) {
    it(`DLP bounces (${v})`, async () => {
      expect(await kit.outbound(readFileSync(`${dir}/dlp-${v}.eml`))).toBe('BOUNCE');
    });
    it(`guard bounces (${v})`, async () => {
      expect((await kit.inbound(readFileSync(`${dir}/guard-${v}.eml`))).verdict).toBe('BOUNCE');
    });
  }
});
