import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/zip.js';
import { isOfficeDocument, officeXml } from './office-text.js';

describe('officeXml', () => {
  it('reads the XML parts of a document, deflated or stored, and skips the rest', () => {
    const zip = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>', method: 0 },
      { name: 'word/document.xml', data: '<w:t>4111</w:t><w:t>1111</w:t>' },
      { name: 'word/media/image1.png', data: Buffer.alloc(100) },
    ]);
    expect(officeXml(zip, 1000)).toEqual(['<Types/>', '<w:t>4111</w:t><w:t>1111</w:t>']);
  });
  it('refuses what it cannot read whole: not a zip, encrypted, unknown method, over budget', () => {
    expect(() => officeXml(Buffer.from('%PDF-1.4 not a zip'), 1000)).toThrow(/not a zip/);
    expect(() => officeXml(zipFile([{ name: 'a.xml', data: 'x', encrypted: true }]), 1000)).toThrow(
      /encrypted/,
    );
    expect(() => officeXml(zipFile([{ name: 'a.xml', data: 'x', method: 12 }]), 1000)).toThrow(/method 12/);
    const bomb = zipFile([{ name: 'a.xml', data: Buffer.alloc(100_000) }]);
    expect(() => officeXml(bomb, 10_000)).toThrow(/over the decoded bytes budget/);
    const stored = zipFile([{ name: 'a.xml', data: Buffer.alloc(20_000), method: 0 }]);
    expect(() => officeXml(stored, 10_000)).toThrow(/over the decoded bytes budget/);
    const cut = zipFile([{ name: 'a.xml', data: 'hello hello hello' }]);
    expect(() =>
      officeXml(Buffer.concat([cut.subarray(0, 20), cut.subarray(cut.length - 70)]), 1000),
    ).toThrow();
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
