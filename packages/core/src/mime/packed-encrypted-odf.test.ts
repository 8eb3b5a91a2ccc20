import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/index.js';
import { unpackText } from './packed-text.js';

const MAX = 1 << 22;
const manifest = (inner: string) =>
  `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">${inner}</manifest:file-entry></manifest:manifest>`;
const odf = (inner: string, notes = 'no card here') =>
  zipFile([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', method: 0 },
    { name: 'META-INF/manifest.xml', data: manifest(inner) },
    { name: 'content.xml', data: Buffer.alloc(64, 0x9c), method: 0 },
    { name: 'notes.txt', data: notes },
  ]);

describe('unpackText: OpenDocument files saved with a password', () => {
  it('names one read as an Office document, or as a zip, as encrypted; its other entries still read', () => {
    for (const packing of ['office', 'zip'] as const) {
      const out = unpackText(packing, odf('<manifest:encryption-data/>', 'Card 4111'), MAX);
      expect(out.unread).toBeUndefined();
      expect(out.encrypted).toEqual(['(OpenDocument file encrypted with a password: content.xml)']);
      expect(out.pieces.some((p) => 'bytes' in p && p.bytes.toString().includes('Card 4111'))).toBe(true);
    }
  });
  it('names one inside a zip by its entry', () => {
    const zip = zipFile([{ name: 'cards.ods', data: odf('<manifest:encryption-data/>') }]);
    expect(unpackText('zip', zip, MAX).encrypted).toEqual([
      'cards.ods (OpenDocument file encrypted with a password: content.xml)',
    ]);
  });
  it('is unread when the manifest cannot be read', () => {
    const out = unpackText('office', odf('<manifest:encryption-data/>'.repeat(5000)), 1000);
    expect(out.unread).toMatch(/whether the OpenDocument file is encrypted is not known/);
  });
  it('(control) an unencrypted one is not encrypted', () => {
    const out = unpackText('office', odf(''), MAX);
    expect(out.encrypted).toEqual([]);
    expect(out.unread).toBeUndefined();
  });
});
