import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ArchiveEntry } from './archive-entry.js';
import { htmlFieldInstructions } from './field-codes.js';
import { eachWordMarkupFile, isWordMarkupHead } from './word-markup.js';

const names = (xml: string) => {
  const seen: ArchiveEntry[] = [];
  eachWordMarkupFile(Buffer.from(xml), 1 << 20, (entry) => seen.push(entry));
  return seen;
};
const wordXml = (body: string) =>
  `<?xml version="1.0"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body>${body}</w:body></w:wordDocument>`;

describe('Word markup documents', () => {
  it('recognises Word 2003 XML and pages Word saved, not other markup', () => {
    expect(isWordMarkupHead(Buffer.from(wordXml('')))).toBe(true);
    expect(isWordMarkupHead(Buffer.from('<html><meta name=ProgId content=Word.Document>'))).toBe(true);
    expect(isWordMarkupHead(Buffer.from('<html><body>hello</body></html>'))).toBe(false);
  });
  it('unpacks an ActiveMime container found by its zlib header', () => {
    const content = Buffer.from('d0cf11e0a1b11ae1', 'hex');
    const mso = Buffer.concat([
      Buffer.from('ActiveMime\0\0\x01\0\0\0', 'latin1'),
      Buffer.alloc(30),
      deflateSync(content),
    ]);
    const [entry] = names(wordXml(`<w:binData w:name="oledata.mso">${mso.toString('base64')}</w:binData>`));
    expect(entry?.name).toBe('oledata.mso');
    expect(entry?.bytes?.()).toEqual(content);
  });
  it('refuses binary data that is not base64 or never closed', () => {
    expect(() => names(wordXml('<w:binData w:name="a">AA*A</w:binData>'))).toThrow(/not base64/);
    expect(() => names(wordXml('<w:binData w:name="a">AAAA'))).toThrow(/never closed/);
  });
  it('reads the code between Word HTML field marks, nested fields marked', () => {
    const mark = (m: string) => `<span style='mso-element:field-${m}'></span>`;
    expect(
      htmlFieldInstructions(`${mark('begin')}DDE<b>AUTO</b> x${mark('separator')}y${mark('end')}`),
    ).toEqual(['DDEAUTO x']);
    const nested = htmlFieldInstructions(
      `${mark('begin')}LINK a "${mark('begin')}QUOTE 1${mark('end')}"${mark('end')}`,
    );
    expect(nested).toEqual(['QUOTE 1', 'LINK a "\u0013"']);
  });
});
