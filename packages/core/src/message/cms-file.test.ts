import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cmsFile } from '../testing/cms.js';
import { zipFile } from '../testing/zip.js';
import { listArchive } from './archive-files.js';
import { archiveKindOf, claimedArchiveKind } from './archive-kind.js';
import { cmsFileContent, isCmsHead } from './cms-file.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));
const XML = Buffer.from(
  '<?xml version="1.0"?><FatturaElettronica><Importo>100.00</Importo></FatturaElettronica>',
);
const MB = 1024 * 1024;

describe('cmsFileContent: the file a signed .p7m carries', () => {
  it('reads signed data as DER, as streamed BER pieces, and as base64 with or without PEM armour', () => {
    for (const options of [
      {},
      { chunk: 7 },
      { chunk: 1 },
      { base64: true },
      { pem: true },
      { chunk: 5, pem: true },
    ])
      expect(cmsFileContent(cmsFile(XML, options), MB)).toEqual({ kind: 'content', content: XML });
  });

  it('reads time-stamped data (.tsd), and a signed file inside a signed file one level at a time', () => {
    expect(cmsFileContent(cmsFile(XML, { type: 'timestamped' }), MB)).toEqual({
      kind: 'content',
      content: XML,
    });
    const twice = cmsFile(cmsFile(XML), { chunk: 100 });
    const outer = cmsFileContent(twice, MB);
    expect(outer.kind === 'content' && cmsFileContent(outer.content, MB)).toEqual({
      kind: 'content',
      content: XML,
    });
  });

  it('tells a detached signature (no file) and enveloped content (encrypted) from a signed file', () => {
    expect(cmsFileContent(cmsFile(XML, { type: 'detached' }), MB)).toEqual({ kind: 'none' });
    expect(cmsFileContent(cmsFile(XML, { type: 'enveloped' }), MB)).toEqual({ kind: 'encrypted' });
    expect(cmsFileContent(cmsFile(XML, { type: 'enveloped', chunk: 10 }), MB)).toEqual({ kind: 'encrypted' });
  });

  it('reads the files OpenSSL signs: DER, and BER streamed with -stream', () => {
    const xml = cmsFileContent(fixture('fattura.xml.p7m'), MB);
    expect(xml.kind === 'content' && xml.content.toString()).toContain('<FatturaElettronica>');
    const zip = cmsFileContent(fixture('invoice.zip.p7m'), MB);
    expect(zip.kind === 'content' && zip.content.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  });

  it('throws for what it cannot read: not CMS, a type not read, over the budget', () => {
    expect(() => cmsFileContent(Buffer.from('%PDF-1.7 not a signed file'), MB)).toThrow('not a CMS file');
    const digested = Buffer.from('300d06092a864886f70d010705a000', 'hex');
    expect(() => cmsFileContent(digested, MB)).toThrow('1.2.840.113549.1.7.5 is not read');
    expect(() => cmsFileContent(cmsFile(Buffer.alloc(5000), { chunk: 1000 }), 4000)).toThrow('budget');
  });

  it('cut short anywhere: throws, or (past the content, in BER) gives the whole content, never part of it', () => {
    const zip = cmsFileContent(fixture('invoice.zip.p7m'), MB);
    for (const [whole, content] of [
      [cmsFile(XML), XML],
      [cmsFile(XML, { chunk: 9 }), XML],
      [fixture('invoice.zip.p7m'), zip.kind === 'content' ? zip.content : Buffer.alloc(0)],
    ] as const) {
      let thrown = 0;
      for (let cut = 0; cut < whole.length; cut++) {
        let read: ReturnType<typeof cmsFileContent> | undefined;
        try {
          read = cmsFileContent(whole.subarray(0, cut), MB);
        } catch {
          thrown++;
          continue;
        }
        expect(read, `cut at ${cut}`).toEqual({ kind: 'content', content });
      }
      expect(thrown).toBeGreaterThan(content.length);
    }
  });

  it('a detached signature cut short after its empty content: it carries no file all the same', () => {
    const detached = cmsFile(XML, { type: 'detached', chunk: 10 });
    expect(cmsFileContent(detached.subarray(0, detached.length - 20), MB)).toEqual({ kind: 'none' });
  });

  it('round 18: PEM after a line of text, any armour label; a SEQUENCE in high-tag form and a long OID length sniffed', () => {
    const pem = `Signed by ArubaSign\n-----BEGIN CMS-----\n${cmsFile(XML).toString('base64')}\n-----END CMS-----\n`;
    expect(cmsFileContent(Buffer.from(pem), MB)).toEqual({ kind: 'content', content: XML });
    const highTag = Buffer.concat([Buffer.from([0x3f, 0x10]), cmsFile(XML).subarray(1)]);
    expect(isCmsHead(highTag)).toBe(true);
    expect(() => cmsFileContent(highTag, MB)).toThrow('unknown structure');
    const streamed = cmsFile(XML, { chunk: 8 });
    const longOid = Buffer.concat([streamed.subarray(0, 3), Buffer.from([0x81]), streamed.subarray(3)]);
    expect(isCmsHead(longOid)).toBe(true);
    expect(cmsFileContent(longOid, MB)).toEqual({ kind: 'content', content: XML });
  });

  it('refuses a content in more pieces than any signer writes (empty ones too), before reading them all', () => {
    // The constructed OCTET STRING that holds them is a piece too.
    expect(cmsFileContent(cmsFile(Buffer.alloc(262_143, 65), { chunk: 1 }), MB)).toMatchObject({
      kind: 'content',
    });
    expect(() => cmsFileContent(cmsFile(Buffer.alloc(262_144, 65), { chunk: 1 }), MB)).toThrow(
      'more than 262144 pieces',
    );
    // One piece holding 'A' after 300,000 empty ones: nothing to read in them, only work.
    const one = cmsFile(Buffer.from('A'), { chunk: 1 });
    const at = one.indexOf(Buffer.from('2480040141', 'hex')) + 2;
    const empties = Buffer.alloc(600_000).fill(Buffer.from('0400', 'hex'));
    const padded = Buffer.concat([one.subarray(0, at), empties, one.subarray(at)]);
    expect(() => cmsFileContent(padded, MB)).toThrow('pieces');
    expect(
      cmsFileContent(Buffer.concat([one.subarray(0, at), empties.subarray(0, 2000), one.subarray(at)]), MB),
    ).toEqual({
      kind: 'content',
      content: Buffer.from('A'),
    });
  });

  it('refuses indefinite lengths nested past any signer, quickly and without exhausting the stack', () => {
    const head = Buffer.from('30800609 2a864886f70d010702 a080'.replace(/ /g, ''), 'hex');
    const bomb = Buffer.concat([head, Buffer.alloc(400_000, 0x30).fill(Buffer.from([0x30, 0x80]))]);
    expect(() => cmsFileContent(bomb, MB)).toThrow('unknown structure');
  });
});

describe('a signed file as an archive of one file (the guard)', () => {
  it('is recognised by its first bytes and claimed by .p7m, .m7m, .tsd and the PKCS #7 types', () => {
    expect(isCmsHead(cmsFile(XML))).toBe(true);
    expect(isCmsHead(cmsFile(XML, { chunk: 10 }))).toBe(true);
    expect(archiveKindOf(fixture('invoice.zip.p7m').subarray(0, 512))).toBe('cms');
    expect(isCmsHead(Buffer.from('0\x80 plain text', 'latin1'))).toBe(false);
    for (const name of ['fattura.xml.p7m', 'a.M7M', 'b.tsd']) expect(claimedArchiveKind([name])).toBe('cms');
    expect(claimedArchiveKind([], 'application/pkcs7-mime')).toBe('cms');
  });

  it('lists the file under the name without .p7m, with what its bytes are, and archives inside it', () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);
    expect(listArchive(cmsFile(exe), 'cms', 'fattura.exe.p7m')).toMatchObject({
      names: ['fattura.exe'],
      sniffedTypes: ['application/x-msdownload'],
    });
    expect(listArchive(fixture('invoice.zip.p7m'), 'cms', 'invoice.zip.p7m').names).toEqual([
      'invoice.zip',
      'invoice.zip/invoice.js',
    ]);
    const zipped = zipFile([{ name: 'fattura.exe.p7m', data: cmsFile(exe, { chunk: 3 }) }]);
    expect(listArchive(zipped, 'zip').names).toEqual(['fattura.exe.p7m', 'fattura.exe.p7m/fattura.exe']);
  });

  it("a content past the reader's own bounds (pieces, nesting) is a limit met, which no setting excuses", () => {
    // A review of attacker round 122: these were plain problems, which allowSmime and allowUnlistedArchives excuse.
    const pieces = listArchive(cmsFile(Buffer.alloc(262_144, 65), { chunk: 1 }), 'cms', 'fattura.exe.p7m');
    expect(pieces).toMatchObject({ limit: true });
    expect(pieces.unreadable).toMatch(/pieces/);
    const one = cmsFile(Buffer.from('A'), { chunk: 1 });
    const at = one.indexOf(Buffer.from('2480040141', 'hex'));
    const nested = Buffer.concat([
      one.subarray(0, at),
      Buffer.alloc(2 * 13).fill(Buffer.from('2480', 'hex')),
      one.subarray(at),
      Buffer.alloc(2 * 13),
    ]);
    const deep = listArchive(nested, 'cms', 'fattura.exe.p7m');
    expect(deep).toMatchObject({ limit: true });
    expect(deep.unreadable).toMatch(/nested deeper/);
    // An unknown structure stays a problem (not a limit): a setting may excuse it as before.
    expect(
      listArchive(
        Buffer.from('30800609 2a864886f70d010702 a080 3080 3080'.replace(/ /g, ''), 'hex'),
        'cms',
        'x.p7m',
      ).limit,
    ).toBeFalsy();
  });

  it('names encrypted content, lists nothing for a detached signature, and says why it cannot read one', () => {
    expect(listArchive(cmsFile(XML, { type: 'enveloped' }), 'cms', 'fattura.xml.p7m').encrypted).toEqual([
      'fattura.xml',
    ]);
    expect(listArchive(cmsFile(XML, { type: 'detached' }), 'cms', 'smime.p7s')).toMatchObject({ names: [] });
    expect(
      listArchive(Buffer.from('Content-Type: multipart/mixed'), 'cms', 'fattura.xml.m7m').unreadable,
    ).toBe('not a CMS file');
  });
});
