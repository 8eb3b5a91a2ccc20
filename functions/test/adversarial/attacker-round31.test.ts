import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 31 (session 25), on the guard: each case was delivered (DEFAULT) at the defaults before the fix
// (PoCs in .scratch/attack-s31). A bare CR ends a line for Thunderbird's line buffer, not for the walk's splitter.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Ann <ann@partner.example>';
const VBS = `MsgBox "wmflow-attacker-s31"`;

const withHiddenField = (hidden: string, rest = '') =>
  mail([FROM, MIXED], withPart(`X-Scan: clean\r${hidden}${rest}\r\n\r\n${VBS}`));

describe('attacker round 31: a bare CR inside a header block (S31-1, S31-2)', () => {
  const CASES: Record<string, Buffer> = {
    'a part Content-Type naming Invoice.vbs': withHiddenField(
      'Content-Type: application/octet-stream; name="Invoice.vbs"',
    ),
    'a part Content-Disposition naming Invoice.vbs': withHiddenField(
      'Content-Disposition: attachment; filename="Invoice.vbs"',
    ),
    'a part Content-Transfer-Encoding hiding a PE named Invoice.pdf': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: application/pdf; name="Invoice.pdf"\r\nX-Scan: clean\rContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode.', 'latin1').toString('base64')}`,
      ),
    ),
    // 8-bit From: the guard's tagging edit, which would rewrite the root Content-Type, is skipped.
    "the message's own Content-Type (multipart/mixed over a .vbs part)": mail(
      [
        'From: Ann M\u00fcller <ann@partner.example>',
        'X-Scan: clean\rContent-Type: multipart/mixed; boundary="b"',
      ],
      withPart(
        `Content-Type: application/octet-stream; name="Invoice.vbs"\r\nContent-Disposition: attachment; filename="Invoice.vbs"\r\n\r\n${VBS}`,
      ),
    ),
  };
  for (const [title, message] of Object.entries(CASES)) {
    it(`bounces ${title}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }
  it('bounces in strip mode too: the part cannot be told apart to be removed', async () => {
    const message = CASES['a part Content-Type naming Invoice.vbs'] as Buffer;
    expect((await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' })).verdict).toBe('BOUNCE');
  });
  it('delivers the same message with the fields on lines of their own', async () => {
    const plain = mail(
      [FROM, MIXED],
      withPart('X-Scan: clean\r\nContent-Type: text/plain; name="notes.txt"\r\n\r\nhello'),
    );
    expect((await kit.inbound(plain)).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 31: delimiter lines ended by bare CRs inside a part body (S31-3)', () => {
  const hidden = mail(
    [FROM, MIXED],
    withPart(
      `Content-Type: text/plain; name="notes.txt"\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\nNotes.\r--b\rContent-Type: application/octet-stream; name="Invoice.vbs"\rContent-Disposition: attachment; filename="Invoice.vbs"\r\r${script('s31')}`,
    ),
  );
  it('bounces, in strip mode too', async () => {
    expect((await kit.inbound(hidden)).verdict).toBe('BOUNCE');
    expect((await kit.inbound(hidden, { ATTACHMENT_ACTION: 'strip' })).verdict).toBe('BOUNCE');
  });
});

describe('attacker round 31: a comment beside a name parameter (S31-4; RFC 2045 CFWS, MimeKit skips it)', () => {
  for (const header of [
    'Content-Type: application/octet-stream; (scanned)name="Invoice.vbs"',
    'Content-Type: application/octet-stream; name(scanned)="Invoice.vbs"',
    'Content-Type: application/octet-stream; name (a=b;) ="Invoice.vbs"',
    'Content-Type: application/octet-stream\r\nContent-Disposition: attachment;(scanned)filename="Invoice.vbs"',
    "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename(x)*=utf-8''Invoice.vbs",
  ])
    it(`bounces ${JSON.stringify(header)}`, async () => {
      expect((await kit.inbound(mail([FROM, MIXED], withPart(`${header}\r\n\r\n${VBS}`)))).verdict).toBe(
        'BOUNCE',
      );
    });
});

describe('attacker round 31: enclosed letters glued to a protected name (S31-5)', () => {
  const fromName = (name: string) =>
    mail(
      [`From: ${encoded(name)} <jane.smith@evil.example>`, 'Content-Type: text/plain'],
      'Please wire it today.',
    );
  for (const name of ['Jane Smith\u{1F1FA}\u{1F1F8}', '\u{1F1FA}\u{1F1F8}Jane Smith', 'Jane Smith\u{1F170}'])
    it(`sends ${JSON.stringify(name)} to Junk`, async () => {
      expect((await kit.inbound(fromName(name), { PROTECTED_NAMES: 'Jane Smith' })).verdict).toBe(
        'MOVE_TO_JUNK',
      );
    });
  it('still reads a name spelled in regional indicators', async () => {
    const spelled = '\u{1F1EF}\u{1F1E6}\u{1F1F3}\u{1F1EA} \u{1F1F8}\u{1F1F2}\u{1F1EE}\u{1F1F9}\u{1F1ED}';
    expect((await kit.inbound(fromName(spelled), { PROTECTED_NAMES: 'Jane Smith' })).verdict).toBe(
      'MOVE_TO_JUNK',
    );
  });
  it('delivers a flag that stands apart from another name', async () => {
    expect(
      (await kit.inbound(fromName('Ann Lee \u{1F1FA}\u{1F1F8}'), { PROTECTED_NAMES: 'Jane Smith' })).verdict,
    ).toBe('DEFAULT');
  });
});
