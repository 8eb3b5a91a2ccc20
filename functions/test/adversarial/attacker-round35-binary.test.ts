import { brotliCompressSync, deflateSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 35 (session 29) against the reading of binary content of no known format for its strings.
// Each case got past outbound-policy before the fix; the controls beside them held.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';

// A35-5: a French UTF-8 export, its numbers grouped by (narrow) no-break spaces, made to look binary by a DOS
// end-of-file mark or NUL padding: read as 8-bit text only, each separator was `Â` and a space. Notepad and
// Excel open UTF-8 without a byte order mark as UTF-8.
const report = (sep: string, eof = '\x1a') =>
  Buffer.concat([
    Buffer.from(`Client;Carte\r\nDupont;4111${sep}1111${sep}1111${sep}1111\r\n`, 'utf-8'),
    Buffer.from(eof, 'latin1'),
  ]);
describe('A35-5 UTF-8 text read for its strings', () => {
  it('control: ASCII spaces and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report(' ')))).toBe('BOUNCE');
  });
  it('control: no-break spaces, no control byte (read as text)', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u00a0', '')))).toBe('BOUNCE');
  });
  it('narrow no-break spaces (U+202F) and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u202f')))).toBe('BOUNCE');
  });
  it('no-break spaces (U+00A0) and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u00a0')))).toBe('BOUNCE');
  });
  it('NUL-padded, no-break spaces, in a zip', async () => {
    const zip = zipFile([
      { name: 'EXPORT.DAT', data: Buffer.concat([report('\u00a0', ''), Buffer.alloc(64)]) },
    ]);
    expect(await kit.outbound(outboundFile('export.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
});

// A35-8: text that starts like a font or a video (`true`, `free` at 4) was read as text only when its first
// twelve bytes were printable ASCII: a printer's form feed or escape, or UTF-8 letters, there kept it skipped.
describe('A35-8 text that spells a signature, beyond printable ASCII', () => {
  it('form feed, then a box type at 4, ending in ^Z', async () => {
    const file = Buffer.from(`\fTaxfree STATEMENT\r\nCARD ${CARD}\r\n\x1a`, 'latin1');
    expect(await kit.outbound(outboundFile('statement.prn', file))).toBe('BOUNCE');
  });
  it('a printer escape at 0, `free` at 4', async () => {
    const file = Buffer.from(`\x1bE\x1b(free text report\r\nCARD ${CARD}\r\n\x1a`, 'latin1');
    expect(await kit.outbound(outboundFile('statement.prn', file))).toBe('BOUNCE');
  });
  it('UTF-8 Cyrillic CSV starting `true,`, ending in ^Z', async () => {
    const csv = Buffer.concat([
      Buffer.from(`true,Иванов Иван Иванович,${CARD},Москва\r\n`.repeat(3), 'utf-8'),
      Buffer.from('\x1a', 'latin1'),
    ]);
    expect(await kit.outbound(outboundFile('export.dat', csv))).toBe('BOUNCE');
  });
  it('control: ASCII CSV starting `true,`, ending in ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', Buffer.from(`true,Ivanov,${CARD}\r\n\x1a`)))).toBe(
      'BOUNCE',
    );
  });
});

// A35-10: brotli and zlib streams (no signature of their own) were read for their strings, found noise and went
// out; named so (`.br`, `.zz`), they are compressed files the DLP does not open: unread.
describe('A35-10 compressed streams known by name', () => {
  const csv = Buffer.from(`name,card\r\nBob,${CARD}\r\n`.repeat(3));
  it('brotli (cards.csv.br)', async () => {
    expect(await kit.outbound(outboundFile('cards.csv.br', brotliCompressSync(csv)))).toBe('BOUNCE');
  });
  it('zlib (cards.csv.zz)', async () => {
    expect(await kit.outbound(outboundFile('cards.csv.zz', deflateSync(csv)))).toBe('BOUNCE');
  });
  it('unread, allowed as unread archives are (ALLOW_UNREAD_ARCHIVES)', async () => {
    const file = outboundFile('notes.txt.br', brotliCompressSync(Buffer.from('no numbers here')));
    expect(await kit.outbound(file)).toBe('BOUNCE');
    expect(await kit.outbound(file, { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
});

// A35-9: a picture's or a recording's text tags are shown as written (every player shows an MP3's title,
// Windows Explorer a photo's EXIF title and comments), while its pixels and samples were skipped whole.
const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
function id3Frame(id: string, body: Buffer) {
  return Buffer.concat([Buffer.from(id, 'latin1'), u32be(body.length), Buffer.alloc(2), body]);
}
function mp3(frames: Buffer[]) {
  const tag = Buffer.concat(frames);
  const audio = Buffer.alloc(2000);
  for (let i = 0; i < audio.length; i += 418) audio.set([0xff, 0xfb, 0x90, 0x64], i);
  return Buffer.concat([Buffer.from('ID3\x03\x00\x00', 'latin1'), syncsafe(tag.length), tag, audio]);
}

// A JPEG whose EXIF IFD0 holds ImageDescription (ASCII) and XPComment (UTF-16LE): Windows Explorer's
// Properties > Details shows them as Title/Subject and Comments, Windows Photos' info pane the title.
function jpegWithExif(desc: string, comment: string) {
  const d = Buffer.from(`${desc}\0`, 'latin1');
  const c = Buffer.from(`${comment}\0`, 'utf16le');
  const entries = 2;
  const ifdSize = 2 + entries * 12 + 4;
  const dataAt = 8 + ifdSize;
  const tiff = Buffer.alloc(dataAt + d.length + c.length);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries, 8);
  const entry = (i: number, tag: number, type: number, count: number, off: number) => {
    const at = 10 + i * 12;
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(count, at + 4);
    tiff.writeUInt32LE(off, at + 8);
  };
  entry(0, 0x010e, 2, d.length, dataAt);
  entry(1, 0x9c9c, 1, c.length, dataAt + d.length);
  d.copy(tiff, dataAt);
  c.copy(tiff, dataAt + d.length);
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(app1.length + 2);
  const pixels = Buffer.alloc(3000, 0x55);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe1]),
    len,
    app1,
    Buffer.from([0xff, 0xdb, 0x00, 0x43]),
    pixels,
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe('A35-9 text tags of pictures and recordings', () => {
  it('MP3 ID3 title and comment', async () => {
    const file = mp3([
      id3Frame('TIT2', Buffer.from(`\0Card ${CARD}`, 'latin1')),
      id3Frame('COMM', Buffer.from(`\0eng\0Card ${CARD}`, 'latin1')),
    ]);
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('MP3 ID3 title in UTF-16', async () => {
    const title = Buffer.concat([Buffer.from([1, 0xff, 0xfe]), Buffer.from(`Card ${CARD}`, 'utf16le')]);
    expect(await kit.outbound(outboundFile('memo.mp3', mp3([id3Frame('TIT2', title)]), 'audio/mpeg'))).toBe(
      'BOUNCE',
    );
  });
  it('JPEG EXIF ImageDescription and XPComment', async () => {
    const photo = jpegWithExif(`Card ${CARD}`, `Card ${CARD}`);
    expect(await kit.outbound(outboundFile('photo.jpg', photo, 'image/jpeg'))).toBe('BOUNCE');
  });
  it('the same photo in a zip', async () => {
    const zip = zipFile([{ name: 'DCIM/photo.jpg', data: jpegWithExif('Holiday', `Card ${CARD}`) }]);
    expect(await kit.outbound(outboundFile('photos.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
  it('control: a 12 MB photo and a 15 MB track go out (skipped past the part bound; their tags read)', async () => {
    const photo = Buffer.concat([jpegWithExif('Canon', 'Holiday'), Buffer.alloc(12_000_000, 0x55)]);
    expect(await kit.outbound(outboundFile('big.jpg', photo, 'image/jpeg'))).toBe('DEFAULT');
    const track = Buffer.concat([
      mp3([id3Frame('TIT2', Buffer.from('\0Track 01', 'latin1'))]),
      Buffer.alloc(15_000_000),
    ]);
    expect(await kit.outbound(outboundFile('big.mp3', track, 'audio/mpeg'))).toBe('DEFAULT');
    const tagged = Buffer.concat([jpegWithExif('Holiday', `Card ${CARD}`), Buffer.alloc(12_000_000, 0x55)]);
    expect(await kit.outbound(outboundFile('big.jpg', tagged, 'image/jpeg'))).toBe('BOUNCE');
  });
  it('control: photos and a track whose tags hold no number go out', async () => {
    const zip = zipFile([
      { name: 'a.jpg', data: jpegWithExif('Canon EOS 5D', 'Holiday 2026') },
      { name: 'b.jpg', data: jpegWithExif('', '') },
    ]);
    expect(await kit.outbound(outboundFile('photos.zip', zip, 'application/zip'))).toBe('DEFAULT');
    const track = mp3([id3Frame('TIT2', Buffer.from('\0Track 01', 'latin1'))]);
    expect(await kit.outbound(outboundFile('a.mp3', track, 'audio/mpeg'))).toBe('DEFAULT');
  });
});
