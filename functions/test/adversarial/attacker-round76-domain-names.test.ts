import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A76-2: an outside sender whose display name is the organization's domain alone (`"corp.example"
// <x@evil.example>`, `CORP.EXAMPLE IT`, `www.corp.example`, `c0rp.example`, `corp・example`) was delivered with
// impersonation on, only tagged: a reader sees the organization as the sender, as with `"payroll@corp.example"`
// (attacker round 43), which went to Junk. A display name whose first word shows an organization domain (or a
// subdomain of one), read as drawn, now goes to Junk too.
const stack = useLocalStack();
const kit = attackerKit(stack);
const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const verdict = async (head: string[], env: Record<string, string> = ENV, mailFrom = 'x@evil.example') =>
  (
    await kit.inbound(
      mail([...head, 'Content-Type: text/plain'], 'Please update your bank details.'),
      env,
      mailFrom,
    )
  ).verdict;

describe('A76-2: the organization domain alone as the display name', () => {
  for (const from of [
    '"corp.example" <x@evil.example>',
    'corp.example <x@evil.example>',
    '"CORP.EXAMPLE" <x@evil.example>',
    '"www.corp.example" <x@evil.example>',
    '"corp.example IT" <x@evil.example>',
    '"corp.example - Payroll" <x@evil.example>',
    `${encoded('corp.example')} <x@evil.example>`,
    `${encoded('corp・example')} <x@evil.example>`,
    `${encoded('сorp.example')} <x@evil.example>`,
    '"c0rp.examp1e" <x@evil.example>',
    '"corp . example" <x@evil.example>',
    '"[corp.example]" <x@evil.example>',
  ])
    it(`junks From: ${from}`, async () => {
      expect(await verdict([`From: ${from}`])).toBe('MOVE_TO_JUNK');
    });
  it('junks it as a Sender or Reply-To display name', async () => {
    expect(await verdict(['From: x@evil.example', 'Sender: "corp.example" <x@evil.example>'])).toBe(
      'MOVE_TO_JUNK',
    );
    expect(await verdict(['From: x@evil.example', 'Reply-To: "corp.example" <x@evil.example>'])).toBe(
      'MOVE_TO_JUNK',
    );
  });

  describe('controls', () => {
    for (const from of [
      'Ann <ann@partner.example>',
      '"Ann (for corp.example)" <ann@partner.example>',
      '"Ann at partner.example" <ann@partner.example>',
      '"partner.example" <news@partner.example>',
      '"corp.example.partner.example" <x@partner.example>',
      '"corpexample" <x@partner.example>',
      'corp.example@partner.example',
    ])
      it(`delivers From: ${from}`, async () => {
        expect(await verdict([`From: ${from}`], ENV, 'ann@partner.example')).toBe('DEFAULT');
      });
    it('without PROTECTED_NAMES (impersonation off) a domain name is delivered', async () => {
      expect(await verdict(['From: "corp.example" <x@evil.example>'], {})).toBe('DEFAULT');
    });
  });
});

// Held probes (already blocked before this round, kept as tests): RFC 2231 continuations with odd section numbers
// and a filename after a comment bounce a VBScript attachment; a Sender display name and a group name are read.
const vbs = Buffer.from(script('76')).toString('base64');
const attachment = (disposition: string) =>
  mail(
    [MIXED],
    withPart(
      [
        'Content-Type: application/octet-stream',
        `Content-Disposition: attachment; ${disposition}`,
        'Content-Transfer-Encoding: base64',
        '',
        vbs,
      ].join('\r\n'),
    ),
  );

describe('held: RFC 2231 sections and comments in a filename', () => {
  for (const disposition of [
    'filename*0="inv"; filename*2=".vbs"',
    'filename*00="invoice.vbs"',
    'filename*0="invoice"; filename*01=".vbs"',
    'filename*1="invoice.vbs"',
    'filename*1=".vbs"; filename*0="invoice"',
    'filename*0="inv"; filename*1="oice"; filename*3=".vbs"',
    'filename=(c)"invoice.vbs"',
    'filename= (x) invoice.vbs',
    'filename(c)="invoice.vbs"',
    'filename="a.pdf"(c); filename*="invoice.vbs"',
    "filename*0*=x-unknown''invoice.vbs",
    "filename*=utf-8'en'invoice%2evbs",
  ])
    it(`bounces ${disposition}`, async () => {
      expect((await kit.inbound(attachment(disposition))).verdict).toBe('BOUNCE');
    });
  it('benign: a PDF named in RFC 2231 sections is delivered', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n').toString('base64');
    const message = mail(
      [MIXED],
      withPart(
        [
          'Content-Type: application/pdf',
          'Content-Disposition: attachment; filename*0="quarterly"; filename*1="-report.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          pdf,
        ].join('\r\n'),
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('held: a protected name as a Sender display name or a group name', async () => {
    expect(await verdict(['From: x@evil.example', 'Sender: Jane Doe <x@evil.example>'])).toBe('MOVE_TO_JUNK');
    expect(await verdict(['From: Jane Doe: x@evil.example;'])).toBe('MOVE_TO_JUNK');
  });
});
