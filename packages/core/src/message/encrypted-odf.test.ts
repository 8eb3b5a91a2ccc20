import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/index.js';
import { listArchive } from './archive-files.js';
import { encryptedOdfEntries, ManifestError, manifestEncryptedPaths } from './encrypted-odf.js';
import { growthRatio } from './test-support/growth.js';

const MAX = 1 << 22;
const NS = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';
const ENC = '<manifest:encryption-data><manifest:algorithm/></manifest:encryption-data>';
const manifestOf = (entries: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="${NS}"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>${entries}</manifest:manifest>`;
const entry = (path: string, inner = ENC) =>
  `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="text/xml">${inner}</manifest:file-entry>`;
const odf = (manifest: string | Buffer, name = 'META-INF/manifest.xml') =>
  zipFile([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
    { name, data: manifest },
    { name: 'content.xml', data: Buffer.alloc(64, 0x9c), method: 0 },
  ]);

describe('encryptedOdfEntries', () => {
  it('names each entry the manifest declares encrypted', () => {
    const zip = odf(manifestOf(entry('content.xml') + entry('styles.xml') + entry('meta.xml', '')));
    expect(encryptedOdfEntries(zip, MAX)).toEqual(['content.xml', 'styles.xml']);
  });
  it('reads any prefix, a default namespace, decoded references, and a UTF-16 manifest', () => {
    const other = `<m:manifest xmlns:m="${NS}"><m:file-entry m:full-path="content&#x2E;xml"><m:encryption-data/></m:file-entry></m:manifest>`;
    expect(encryptedOdfEntries(odf(other), MAX)).toEqual(['content.xml']);
    const plain = `<manifest xmlns="${NS}"><file-entry full-path="a&amp;b.xml"><encryption-data/></file-entry></manifest>`;
    expect(encryptedOdfEntries(odf(plain), MAX)).toEqual(['a&b.xml']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(other, 'utf16le')]);
    expect(encryptedOdfEntries(odf(utf16), MAX)).toEqual(['content.xml']);
  });
  it('finds the manifest whatever its case or separators, and OpenPGP key elements', () => {
    const gpg = manifestOf(entry('content.xml', '<manifest:keyinfo/>'));
    expect(encryptedOdfEntries(odf(gpg, 'meta-inf\\Manifest.XML'), MAX)).toEqual(['content.xml']);
  });
  it('names the manifest for encryption outside a file entry', () => {
    expect(encryptedOdfEntries(odf(manifestOf(ENC)), MAX)).toEqual(['META-INF/manifest.xml']);
  });
  it('does not count encryption in comments, CDATA, attribute values or a closing tag', () => {
    const decoys = manifestOf(
      `<!-- <manifest:encryption-data/> --><![CDATA[<manifest:encryption-data/>]]>` +
        `<manifest:file-entry manifest:full-path="a>b" manifest:media-type="<manifest:encryption-data"/>` +
        entry('content.xml', '</manifest:encryption-data>'),
    );
    expect(encryptedOdfEntries(odf(decoys), MAX)).toEqual([]);
  });
  it('is none for an unencrypted document, an OOXML package, a zip', () => {
    expect(encryptedOdfEntries(odf(manifestOf(entry('content.xml', ''))), MAX)).toEqual([]);
    expect(encryptedOdfEntries(zipFile([{ name: 'word/document.xml', data: '<w:document/>' }]), MAX)).toEqual(
      [],
    );
  });
  it('names a zip-encrypted manifest as encrypted', () => {
    const zip = zipFile([{ name: 'META-INF/manifest.xml', data: 'x', encrypted: true, method: 0 }]);
    expect(encryptedOdfEntries(zip, MAX)).toEqual(['META-INF/manifest.xml']);
  });
  it('throws a ManifestError when the manifest cannot be read, or declares entities', () => {
    const big = odf(manifestOf(entry('content.xml').repeat(1000)));
    expect(() => encryptedOdfEntries(big, 100)).toThrow(ManifestError);
    const entities = `<!DOCTYPE m [<!ENTITY e "<encryption-data/>">]>${manifestOf('&e;')}`;
    expect(() => encryptedOdfEntries(odf(entities), MAX)).toThrow(/declares entities/);
  });
  it('is linear on a large manifest', () => {
    const manifest = (n: number) => manifestOf(entry('x.xml', '').repeat(n) + '<'.repeat(n));
    expect(manifestEncryptedPaths(manifest(200_000), 'm')).toEqual([]);
    expect(growthRatio(manifest, (xml) => manifestEncryptedPaths(xml, 'm'), 10_000)).toBeLessThan(3);
  });
});

describe('listArchive: an OpenDocument file saved with a password', () => {
  it('visits its encrypted entries as encrypted, and lists its files', () => {
    const out = listArchive(odf(manifestOf(entry('content.xml'))), 'zip');
    expect(out.encrypted).toEqual(['content.xml of an encrypted document']);
    expect(out.names).toContain('mimetype');
    expect(out.unreadable).toBeUndefined();
  });
  it('inside a zip too', () => {
    const zip = zipFile([{ name: 'invoice.odt', data: odf(manifestOf(entry('content.xml'))) }]);
    expect(listArchive(zip, 'zip').encrypted).toEqual(['invoice.odt/content.xml of an encrypted document']);
  });
  it('(control) an unencrypted one has none', () => {
    expect(listArchive(odf(manifestOf(entry('content.xml', ''))), 'zip').encrypted).toEqual([]);
  });
});
