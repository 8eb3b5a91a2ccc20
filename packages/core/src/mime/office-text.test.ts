import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/zip.js';
import { isOfficeDocument } from './office-text.js';
import { unpackText } from './packed-text.js';

describe('an Office document unpacked (packed-text.ts)', () => {
  const xmlOf = (zip: Buffer, budget = 1000) => {
    const { pieces, unread } = unpackText('office', zip, budget);
    return unread ?? pieces.map((p) => (p.kind === 'strings' ? p.texts.join() : p.bytes.toString('utf8')));
  };
  it('reads the XML parts of a document, deflated or stored, and skips the rest', () => {
    const zip = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>', method: 0 },
      { name: 'word/document.xml', data: '<w:t>4111</w:t><w:t>1111</w:t>' },
      // An image (by its bytes: a file of no known format is read for its strings).
      {
        name: 'word/media/image1.png',
        data: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(92)]),
      },
    ]);
    expect(xmlOf(zip)).toEqual(['<Types/>', '<w:t>4111</w:t><w:t>1111</w:t>']);
  });
  it('refuses what it cannot read whole: not a zip, encrypted, unknown method, over budget', () => {
    expect(xmlOf(Buffer.from('%PDF-1.4 not a zip'))).toMatch(/not a zip/);
    expect(xmlOf(zipFile([{ name: 'a.xml', data: 'x', encrypted: true }]))).toMatch(/encrypted/);
    expect(xmlOf(zipFile([{ name: 'a.xml', data: 'x', method: 12 }]))).toMatch(/method 12/);
    const bomb = zipFile([{ name: 'a.xml', data: Buffer.alloc(100_000) }]);
    expect(xmlOf(bomb, 10_000)).toMatch(/over the decoded bytes budget/);
    const stored = zipFile([{ name: 'a.xml', data: Buffer.alloc(20_000), method: 0 }]);
    expect(xmlOf(stored, 10_000)).toMatch(/over the decoded bytes budget/);
    const cut = zipFile([{ name: 'a.xml', data: 'hello hello hello' }]);
    expect(xmlOf(Buffer.concat([cut.subarray(0, 20), cut.subarray(cut.length - 70)]))).toMatch(/not read/);
  });
  it('knows Office files by type or extension', () => {
    expect(isOfficeDocument('application/octet-stream', 'xlsx')).toBe(true);
    expect(
      isOfficeDocument('application/vnd.openxmlformats-officedocument.wordprocessingml.document', ''),
    ).toBe(true);
    expect(isOfficeDocument('application/vnd.oasis.opendocument.text', '')).toBe(true);
    expect(isOfficeDocument('application/pdf', 'pdf')).toBe(false);
  });
});
