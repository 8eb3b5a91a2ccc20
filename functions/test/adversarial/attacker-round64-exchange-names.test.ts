import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 64, A64-4: Exchange's MIME reader (MS-OXCMAIL 2.2.3.4.1.1, which Outlook's and Exchange Online's
// conversions follow; new Outlook syncs IMAP accounts through Exchange Online) names an attachment by its
// `filename`, else its `name`, else a BinHex or uuencode header, else its `Content-Description`; and it sanitizes the
// name "by removing characters that are not legal" in a Windows file name (controls, `"`, `*`, `/`, `:`, `<`, `>`,
// `?`, `\`, `|`). The guard read neither: an unnamed part described as `invoice.vbs`, and a file named `invoice.vb|s`
// or `invoice.j<s` (saved as `invoice.vbs`, `invoice.js`), were delivered.
const stack = useLocalStack();
const kit = attackerKit(stack);

const VBS = Buffer.from('MsgBox "wmflow-attacker-r64"\r\n').toString('base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString(
  'base64',
);

/** A part with these header lines before its transfer encoding and `body`, and the bytes never to be delivered. */
function part(lines: readonly string[], body = VBS): [Buffer, string] {
  const text = `${[...lines, 'Content-Transfer-Encoding: base64'].join('\r\n')}\r\n\r\n${body}`;
  return [mail([MIXED], withPart(text)), body.slice(0, 24)];
}
const filename = (name: string) =>
  part(['Content-Type: application/octet-stream', `Content-Disposition: attachment; filename="${name}"`]);

describe('A64-4: names as Exchange and Outlook read them', () => {
  attachmentTests(kit, {
    'an unnamed part described as invoice.vbs': part([
      'Content-Type: application/octet-stream',
      'Content-Description: invoice.vbs',
    ]),
    'an unnamed attachment described in an encoded word': part([
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment',
      `Content-Description: =?utf-8?B?${Buffer.from('Rechnung.vbs').toString('base64')}?=`,
    ]),
    'an unnamed attachment described as a page (invoice.html)': part([
      'Content-Type: application/octet-stream',
      'Content-Description: invoice.html',
    ]),
    'an unnamed attachment described as an archive (invoice.zip)': part([
      'Content-Type: application/octet-stream',
      'Content-Description: invoice.zip',
    ]),
    'an unnamed application/hta described as report.pdf (Thunderbird saves it as .hta)': part([
      'Content-Type: application/hta',
      'Content-Description: report.pdf',
    ]),
    'invoice.vb|s (a pipe)': filename('invoice.vb|s'),
    'invoice.j<s (an angle bracket)': filename('invoice.j<s'),
    'invoice.j>s': filename('invoice.j>s'),
    'invoice.j*s (an asterisk)': filename('invoice.j*s'),
    'invoice.j?s (a question mark)': filename('invoice.j?s'),
    'invoice.j:s (a colon)': filename('invoice.j:s'),
    'invoice.j/s (a slash)': filename('invoice.j/s'),
    'invoice.j\\s (a backslash, escaped in the quoted string)': filename('invoice.j\\\\s'),
    'invoice.j"s (a quote, escaped in the quoted string)': filename('invoice.j\\"s'),
    'a name as an RFC 2231 value holding a pipe': part([
      'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; filename*=utf-8''invoice.h%7Cta",
    ]),
  });

  it('(control) delivers descriptions and names that sanitize to harmless ones', async () => {
    const cases: Array<[string, string[]]> = [
      [
        'an Exchange-written description',
        ['Content-Type: application/pdf; name="report.pdf"', 'Content-Description: report.pdf'],
      ],
      [
        'a signature description',
        ['Content-Type: application/pdf', 'Content-Description: S/MIME Cryptographic Signature'],
      ],
      [
        'a forwarded-message description',
        ['Content-Type: application/pdf', 'Content-Description: Forwarded message'],
      ],
      [
        'a time in the name',
        ['Content-Type: application/pdf', 'Content-Disposition: attachment; filename="Call 10:30 notes.pdf"'],
      ],
      [
        'a question in the name',
        ['Content-Type: application/pdf', 'Content-Disposition: attachment; filename="Q&A <draft> why?.pdf"'],
      ],
      [
        'a body described as a page',
        ['Content-Type: text/html; charset=utf-8', 'Content-Description: index.html'],
      ],
      [
        // A named part is saved under its name: its description names nothing (review of round 64).
        'a named file whose description ends in .exe',
        [
          'Content-Type: application/pdf; name="install-guide.pdf"',
          'Content-Description: How to run setup.exe',
        ],
      ],
      [
        'a path in the name',
        [
          'Content-Type: application/pdf',
          'Content-Disposition: attachment; filename="scans/2026/report.pdf"',
        ],
      ],
    ];
    for (const [name, lines] of cases) {
      const [message] = part(lines, PDF);
      expect((await kit.inbound(message)).verdict, name).toBe('DEFAULT');
    }
  });
  it('(control) delivers a PGP-signed message whose signature part is described', async () => {
    const body = [
      '--s',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Signed hello.',
      '--s',
      'Content-Type: application/pgp-signature; name="OpenPGP_signature.asc"',
      'Content-Description: OpenPGP digital signature',
      'Content-Disposition: attachment; filename="OpenPGP_signature.asc"',
      '',
      '-----BEGIN PGP SIGNATURE-----',
      '',
      'iHUEARYIAB0WIQQAAAAAAAAAAAAAAAAAAAAAAAAAAAUCZ1Ev5gAKCRAAAAAAAAAAAAAA',
      '=AAAA',
      '-----END PGP SIGNATURE-----',
      '--s--',
      '',
    ].join('\r\n');
    const type =
      'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s"';
    const message = mail([type], body);
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
