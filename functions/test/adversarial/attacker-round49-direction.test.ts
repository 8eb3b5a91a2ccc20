import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Among right-to-left text a number's digit groups are drawn in the other order: `1111 1111 1111 4111` shows
// `4111 1111 1111 1111` (rounds 46 and 48).
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const docx = (document: string, styles?: string) =>
  zipFile([
    { name: 'word/document.xml', data: `<w:document ${W}><w:body>${document}</w:body></w:document>` },
    ...(styles ? [{ name: 'word/styles.xml', data: `<w:styles ${W}>${styles}</w:styles>` }] : []),
  ]);
// The groups in logical order, a hidden run (`w:vanish`) between them that no reader of the drawn text sees.
const runs =
  '<w:r><w:t xml:space="preserve">1111 1111 </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>XX</w:t></w:r><w:r><w:t>1111 4111</w:t></w:r>';
const send = (name: string, file: Buffer, type: string) => kit.outbound(outboundFile(name, file, type));

// A49-15: the Office part's shown reading (hidden runs left out) was not read in the other order; the readings in
// the other order kept the hidden decoy.
describe('A49-15: hidden text between the groups of a right-to-left paragraph', () => {
  it('bounces a .docx whose paragraph is right to left (w:bidi)', async () => {
    expect(await send('note.docx', docx(`<w:p><w:pPr><w:bidi/></w:pPr>${runs}</w:p>`), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose paragraph style, in styles.xml, is right to left', async () => {
    const styles = '<w:style w:type="paragraph" w:styleId="R"><w:pPr><w:bidi/></w:pPr></w:style>';
    const document = `<w:p><w:pPr><w:pStyle w:val="R"/></w:pPr>${runs}</w:p>`;
    expect(await send('note.docx', docx(document, styles), DOCX)).toBe('BOUNCE');
  });
  it('(control) sends the paragraph left to right with other numbers', async () => {
    const other = runs.replace('1111 4111', '2222 3333');
    expect(await send('note.docx', docx(`<w:p>${other}</w:p>`), DOCX)).toBe('DEFAULT');
  });
});

// A49-5: OpenDocument's writing mode `rl` (XSL's short form of rl-tb), and `tb-rl`, columns laid right to left.
describe('A49-5: an OpenDocument writing mode of rl', () => {
  const odt = (mode: string) =>
    zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      {
        name: 'content.xml',
        data: `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:paragraph-properties style:writing-mode="${mode}"/></style:style></office:automatic-styles><office:body><office:text><text:p text:style-name="P1">1111 1111 1111 4111</text:p></office:text></office:body></office:document-content>`,
      },
    ]);
  for (const mode of ['rl', 'tb-rl'])
    it(`bounces an .odt whose writing mode is ${mode}`, async () => {
      expect(await send('note.odt', odt(mode), 'application/vnd.oasis.opendocument.text')).toBe('BOUNCE');
    });
});
