import { describe, expect, it } from 'vitest';
import { attackerKit, encoded } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14: the guard tags outside mail `[EXTERNAL] <subject>` unless the Subject already starts with
// the tag. A reply from a partner carries the tag our user's reply quoted (`RE: [EXTERNAL] lunch`), so each round
// trip added one more: `[EXTERNAL] RE: [EXTERNAL] RE: [EXTERNAL] lunch`. A Subject whose tag follows at most three
// reply or forward prefixes (`RE:`, `AW:`, `Fwd:`, `回复:`…, each spaced by at most two spaces) shows the tag near its
// start already: it is left as it is (the banner still goes on top).
const kit = attackerKit(useLocalStack());

/** The Subject the guard delivers for an outside message whose Subject field is `subject`. */
async function deliveredSubject(subject: string): Promise<string | undefined> {
  const message = Buffer.from(
    [
      'From: Ann <ann@partner.example>',
      'To: bob@corp.example',
      `Subject: ${subject}`,
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <reply-4711@partner.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See you then.',
      '',
    ].join('\r\n'),
  );
  const { verdict, delivered } = await kit.inbound(message, {}, 'ann@partner.example');
  expect(verdict).toBe('DEFAULT');
  const text = delivered.toString('latin1');
  // Still tagged as outside mail below the Subject.
  expect(text).toContain('This message came from outside the organization');
  return /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(text)?.[1];
}
/** The field as a reader shows it: UTF-8 encoded words (B, or Q as the guard writes them) decoded, folds joined. */
function shown(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const word = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;
  return field
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(word, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    );
}

describe('FP14 a reply whose Subject already carries the tag after RE: or AW: is not tagged again', () => {
  const kept = [
    'RE: [EXTERNAL] lunch on Friday',
    'Re: [EXTERNAL] lunch on Friday',
    'AW: [EXTERNAL] Angebot 4711',
    'Fwd: [EXTERNAL] slides',
    'RE: FW: [EXTERNAL] slides',
    'SV: VS: [EXTERNAL] møte',
    'RE:  [EXTERNAL] two spaces',
  ];
  for (const subject of kept)
    it(`keeps "${subject}"`, async () => {
      expect(shown(await deliveredSubject(subject))).toBe(subject);
    });
  it('keeps an encoded reply (回复: [EXTERNAL] 报价)', async () => {
    expect(shown(await deliveredSubject(encoded('回复: [EXTERNAL] 报价')))).toBe('回复: [EXTERNAL] 报价');
  });
  it('(control) tags a first message', async () => {
    expect(shown(await deliveredSubject('lunch on Friday'))).toBe('[EXTERNAL] lunch on Friday');
  });
  it('(control) tags a reply that does not carry the tag', async () => {
    expect(shown(await deliveredSubject('RE: lunch on Friday'))).toBe('[EXTERNAL] RE: lunch on Friday');
  });
});

// Where the tag would not be seen near the start, or is not the tag, it is added as before.
describe('FP14 held: a tag a reader may not see first is still added', () => {
  const tagged = [
    'RE: RE: RE: RE: [EXTERNAL] four prefixes',
    `RE:${' '.repeat(40)}[EXTERNAL] spaces`,
    'RE: lunch [EXTERNAL]',
    'Invoice [EXTERNAL]',
    'RE: [ЕXTERNAL] a Cyrillic Е',
    'RE: [EXTERNAL-NOT] other tag',
    'Urgent: [EXTERNAL] a word that is no reply prefix',
  ];
  for (const subject of tagged)
    it(`tags "${subject}"`, async () => {
      expect(shown(await deliveredSubject(subject))).toBe(`[EXTERNAL] ${subject}`);
    });
});
