import { describe, expect, it } from 'vitest';
import { attackerKit, mail, script } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 59 (attachments): declared types read as clients read them.
// - A59-8: an unnamed part typed `text/vbscript foo`, `application/hta foo` or `=?us-ascii?q?text/vbscript` was not
//   taken for the script its type names: the guard looked the literal value up in its type-to-extension map, while
//   Thunderbird reads a type's first token after any `?` (the editor's reading since round 55) and a client saving an
//   unnamed part gives it the extension its type maps to (Outlook: ATT00001.vbs). The map is now read both ways.
// - Held: a multipart typed so that only a client reads it as one (`=?us-ascii?q?multipart/mixed`, `x?multipart/…`)
//   with a `.vbs` inside, at the root or one level down, is refused.
const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';
const parts = (boundary: string) =>
  [
    `--${boundary}`,
    'Content-Type: text/plain',
    '',
    'See the attached invoice.',
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="invoice.vbs"',
    'Content-Disposition: attachment; filename="invoice.vbs"',
    '',
    script('r59-type-token'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
const unnamed = (type: string) =>
  mail(
    [FROM, 'Content-Type: multipart/mixed; boundary="b"'],
    [
      '--b',
      'Content-Type: text/plain',
      '',
      'hi',
      '--b',
      `Content-Type: ${type}`,
      '',
      script('r59-unnamed'),
      '--b--',
      '',
    ].join('\r\n'),
  );

describe('A59-8: an unnamed part whose type a client reads as a script', () => {
  for (const type of [
    'text/vbscript foo',
    'text/vbscript, text/plain',
    '=?us-ascii?q?text/vbscript',
    'application/hta foo',
  ])
    it(`refuses an unnamed part typed ${JSON.stringify(type)}`, async () => {
      expect((await kit.inbound(unnamed(type))).verdict).toBe('BOUNCE');
    });
  it('(control) refuses the plain spelling, delivers an unnamed text/plain foo', async () => {
    expect((await kit.inbound(unnamed('text/vbscript'))).verdict).toBe('BOUNCE');
    expect((await kit.inbound(unnamed('text/plain foo'))).verdict).toBe('DEFAULT');
  });
});

describe('held: a multipart typed so that only a client reads it as one', () => {
  const spellings: Record<string, string> = {
    'an encoded-word-like prefix': '=?us-ascii?q?multipart/mixed; boundary="b"',
    'a prefix ending in ?': 'x?multipart/mixed; boundary="b"',
  };
  for (const [how, type] of Object.entries(spellings))
    it(`refuses a .vbs inside a multipart typed with ${how}`, async () => {
      const { verdict } = await kit.inbound(mail([FROM, `Content-Type: ${type}`], parts('b')));
      expect(verdict).toBe('BOUNCE');
    });
  it('refuses it one level down too', async () => {
    const body = [
      '--o',
      'Content-Type: text/plain',
      '',
      'hello',
      '--o',
      'Content-Type: =?us-ascii?q?multipart/mixed; boundary="b"',
      '',
      parts('b'),
      '--o--',
      '',
    ].join('\r\n');
    const { verdict } = await kit.inbound(mail([FROM, 'Content-Type: multipart/mixed; boundary="o"'], body));
    expect(verdict).toBe('BOUNCE');
  });
});
