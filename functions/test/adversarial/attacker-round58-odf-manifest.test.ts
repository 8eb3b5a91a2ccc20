import { randomBytes } from 'node:crypto';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-1: LibreOffice reads META-INF/manifest.xml through its SAX wrapper (sax/source/expatwrap/
// xml2utf.cxx), which takes the `encoding` of an XML declaration at the file's start and converts the bytes from any
// charset rtl knows (UTF-7, ISO-2022-JP…) to UTF-8 before expat parses them. wmflow read the manifest as UTF-8
// only, so `+ADw-manifest:encryption-data` (UTF-7 for `<manifest:encryption-data`) or an ISO-2022-JP escape inside
// the element's name hid the encryption: the encrypted document (content, macros, slide actions unread) was
// delivered inbound and sent outbound as checked.
const kit = attackerKit(useLocalStack());
const TEXT = 'application/vnd.oasis.opendocument.text';
const SHEET = 'application/vnd.oasis.opendocument.spreadsheet';
const NS = 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"';
const ENCRYPTION = (lt: string, name: string) =>
  `${lt}manifest:${name} manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAAAAAAAAA="/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" manifest:salt="AAAAAAAAAAAAAAAAAAAAAA=="/></manifest:encryption-data>`;
/** A manifest declaring content.xml encrypted, its declaration naming `charset`, the element opened by `lt`. */
const manifest = (mime: string, charset: string, lt: string, name = 'encryption-data') =>
  `<?xml version="1.0" encoding="${charset}"?>\n<manifest:manifest ${NS}><manifest:file-entry manifest:full-path="/" manifest:media-type="${mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2048">${ENCRYPTION(lt, name)}</manifest:file-entry></manifest:manifest>`;
const odf = (mime: string, manifestXml: string) =>
  zipFile([
    { name: 'mimetype', data: mime, method: 0 },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifestXml, 'latin1') },
    { name: 'content.xml', data: randomBytes(2048), method: 0 },
  ]);
const UTF7 = (mime: string) => odf(mime, manifest(mime, 'UTF-7', '+ADw-'));
// ESC ( B selects ASCII, already selected: the ISO-2022-JP decoder drops it, the name reads `encryption-data`.
const JIS = (mime: string) => odf(mime, manifest(mime, 'ISO-2022-JP', '<', 'encryp\x1b(Btion-data'));
const inbound = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

describe('A58-1: an encrypted OpenDocument manifest in a declared charset', () => {
  it('refuses an .odt whose manifest is declared UTF-7', async () => {
    expect(await inbound('invoice.odt', UTF7(TEXT))).toBe('BOUNCE');
  });
  it('refuses an .odt whose manifest is declared ISO-2022-JP', async () => {
    expect(await inbound('invoice.odt', JIS(TEXT))).toBe('BOUNCE');
  });
  it('does not send cards.ods whose manifest is declared UTF-7', async () => {
    expect(await kit.outbound(outboundFile('cards.ods', UTF7(SHEET)))).toBe('BOUNCE');
  });
  it('(control) the same manifest declared UTF-8 is refused', async () => {
    expect(await inbound('invoice.odt', odf(TEXT, manifest(TEXT, 'UTF-8', '<')))).toBe('BOUNCE');
  });
});
