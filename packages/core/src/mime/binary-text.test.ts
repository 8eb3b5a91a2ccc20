import { describe, expect, it } from 'vitest';
import {
  binaryAsStrings,
  binaryReading,
  decodedHead,
  HEAD_BYTES,
  knownBinaryFormat,
  oleTextViews,
} from './binary-text.js';

describe('text in parts declared binary', () => {
  it('tells text, OLE files and binary apart by their first bytes', () => {
    expect(binaryReading(Buffer.from('a,b\r\n1,2\t3\f\x1b[0m caf\xc3\xa9', 'latin1'))).toBe('text');
    expect(binaryReading(Buffer.from('\ufeffhi', 'utf16le'))).toBe('text');
    expect(binaryReading(Buffer.from('d0cf11e0a1b11ae10000', 'hex'))).toBe('strings');
    expect(binaryReading(Buffer.from('789f3e2201000000', 'hex'))).toBe('strings');
    expect(binaryReading(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(binaryReading(Buffer.from('%PDF-1.4\n\x00', 'latin1'))).toBe('pdf');
    expect(binaryReading(Buffer.from('junk before it\n%PDF-1.4\n\x00', 'latin1'))).toBe('pdf');
    expect(binaryReading(Buffer.alloc(0))).toBe('binary');
  });
  it('reads an OLE file as 8-bit text and as UTF-16LE from both offsets', () => {
    const utf16 = Buffer.from('4111 1111', 'utf16le');
    expect(oleTextViews(utf16)[1]).toBe('4111 1111');
    expect(oleTextViews(Buffer.concat([Buffer.from([0]), utf16]))[2]).toBe('4111 1111');
    expect(oleTextViews(Buffer.from('plain 8-bit'))[0]).toBe('plain 8-bit');
  });
  it('decodes only the start of a base64 body', () => {
    const body = Buffer.alloc(100_000, 0x41);
    const encoded = Buffer.from(body.toString('base64').replace(/.{76}/g, '$&\r\n'));
    expect(decodedHead('base64', encoded)).toEqual(body.subarray(0, HEAD_BYTES));
    expect(decodedHead('7bit', Buffer.from('abc'))).toEqual(Buffer.from('abc'));
  });
  it("decodes a base64 body's last partial group (a short file's last byte is in it)", () => {
    // 74 bytes: the last group is two bytes and padding; its NUL is what makes the file binary.
    const file = Buffer.from(`${'x'.repeat(72)}\r\x00`, 'latin1');
    expect(decodedHead('base64', Buffer.from(file.toString('base64')))).toEqual(file);
    expect(decodedHead('base64', Buffer.from('QUJDRA'))).toEqual(Buffer.from('ABCD'));
  });
});

describe('attacker round 34', () => {
  it('decodes each padded base64 segment on its own, as the body is decoded (A34-2)', () => {
    const zip = Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1');
    const split = `${zip.subarray(0, 1).toString('base64')}\r\n${zip.subarray(1).toString('base64')}`;
    expect(split.startsWith('UA==')).toBe(true);
    expect(decodedHead('base64', Buffer.from(split))).toEqual(zip);
  });
  it('reads text that starts like a known binary format for its strings (A34-1)', () => {
    for (const text of [
      'true,4111 1111 1111 1111,12/29\r\n\x1a',
      'The wide statement\r\n\x00',
      'MZ report for November\r\n\x1a',
    ])
      expect(binaryAsStrings('binary', Buffer.from(text, 'latin1')), text).toBe('strings');
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000001000000010080600000000', 'hex');
    expect(binaryAsStrings('binary', png)).toBe('tags');
    // A real signature's non-printable bytes keep an image one, whatever text follows it (attacker round 3).
    const pngThenText = Buffer.concat([png.subarray(0, 8), Buffer.from('4111 1111 1111 1111')]);
    expect(binaryAsStrings('binary', pngThenText)).toBe('tags');
  });
});

describe('binary content of no known format is read for its strings (attacker round 33)', () => {
  const REPORT = 'STATEMENT\r\nCARD 4111 1111 1111 1111\r\n';
  it('reads text with a control byte, NUL padding or UTF-16 without a mark as strings', () => {
    for (const file of [
      Buffer.from(`${REPORT}\x1a`, 'latin1'),
      Buffer.from(`${REPORT}\x00\x00`, 'latin1'),
      Buffer.from(REPORT, 'utf16le'),
      Buffer.from('SQLite format 3\x00\x10\x00', 'latin1'),
    ]) {
      expect(binaryReading(file)).toBe('binary');
      expect(binaryAsStrings('binary', file)).toBe('strings');
    }
    const views = oleTextViews(Buffer.from(REPORT, 'utf16le'));
    expect(views.some((v) => v.includes('4111 1111 1111 1111'))).toBe(true);
    // UTF-16BE: the UTF-16LE view from the odd offset.
    expect(oleTextViews(Buffer.from(REPORT, 'utf16le').swap16())[2]).toContain('4111 1111 1111 1111');
  });
  it('reads UTF-8 as UTF-8 when the file or its first 4 KiB is valid UTF-8 (attacker round 35)', () => {
    const nbsp = Buffer.from('CARTE 4111\u00a01111\u202f1111 1111\r\n\x1a');
    expect(oleTextViews(nbsp).at(-1)).toContain('4111\u00a01111\u202f1111');
    // Valid in its head, a character cut at 4 KiB, an invalid byte past it.
    const cut = Buffer.concat([Buffer.from('é'.repeat(3000)), Buffer.from([0xff])]);
    expect(oleTextViews(cut).at(-1)).toMatch(/^é+/);
    // Random bytes are no UTF-8: no view beside the 8-bit and UTF-16 ones.
    const random = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256));
    expect(oleTextViews(random)).toHaveLength(oleTextViews(Buffer.from('ascii only')).length);
  });
  it('keeps images, audio, video, fonts and programs binary (skipped), and empty content too', () => {
    const known: Record<string, string> = {
      png: '89504e470d0a1a0a0000000d49484452',
      jpeg: 'ffd8ffe000104a46494600',
      gif: '474946383961010001000000',
      tiff: '49492a0008000000',
      bmp: '424d3a00000000000000360000002800000001000000',
      webp: '52494646240000005745425056503820',
      wav: '524946462400000057415645666d7420',
      mp3: '494433030000000000',
      mpegFrame: 'fffb9064000000000000',
      mp4: '0000001866747970697368',
      ico: '00000100010010100000',
      ttf: '0001000000120100000400',
      woff2: '774f46320001000000',
      exe: '4d5a90000300000004000000',
      elf: '7f454c46020101000000',
    };
    for (const [format, hex] of Object.entries(known)) {
      const head = Buffer.from(hex, 'hex');
      expect([format, knownBinaryFormat(head)]).not.toEqual([format, undefined]);
      // JPEG, PNG, GIF, WebP, TIFF, WAV, MP3, MP4, fonts: read for their text tags (media-tags.ts), the rest skipped.
      const tagged = ['png', 'jpeg', 'gif', 'webp', 'tiff', 'wav', 'mp3', 'mpegFrame', 'mp4', 'ttf'].includes(
        format,
      );
      expect([format, binaryAsStrings('binary', head)]).toEqual([format, tagged ? 'tags' : 'binary']);
    }
    const emf = Buffer.alloc(88);
    emf.writeUInt32LE(1, 0);
    emf.write(' EMF', 40, 'latin1');
    expect(knownBinaryFormat(emf)).toBe('image');
    // A font Word embeds (.odttf): its first 32 bytes scrambled, its table directory in order past them.
    const font = Buffer.alloc(200);
    font.writeUInt32BE(0x00010000, 0);
    font.writeUInt16BE(6, 4);
    ['DSIG', 'GDEF', 'OS/2', 'cmap', 'glyf', 'head'].forEach((tag, i) => {
      font.write(tag, 12 + 16 * i, 'latin1');
      font.writeUInt32BE(0x100 + 0x40 * i, 12 + 16 * i + 8);
    });
    for (let i = 0; i < 32; i++) font[i] = (font[i] as number) ^ 0x5a;
    expect(knownBinaryFormat(font)).toBe('font');
    // An Embedded OpenType font (PowerPoint's .fntdata).
    const eot = Buffer.alloc(82);
    eot.writeUInt32LE(0x00020001, 8);
    eot.write('LP', 34, 'latin1');
    expect(knownBinaryFormat(eot)).toBe('font');
    expect(binaryAsStrings('binary', Buffer.alloc(0))).toBe('binary');
    // Only a binary reading changes.
    expect(binaryAsStrings('text', Buffer.from('hi'))).toBe('text');
    expect(binaryAsStrings('zip', Buffer.from('PK\x03\x04'))).toBe('zip');
  });
});

describe('a known format trusted only under its own names (attacker round 38)', () => {
  it('reads a file whose name opens it as something else for its strings', () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
    expect(binaryAsStrings('binary', jpeg, ['statement.ofx'])).toBe('strings');
    expect(binaryAsStrings('binary', jpeg, ['photo.jpg', 'statement.lua'])).toBe('strings');
    expect(binaryAsStrings('binary', jpeg, ['Photo.JPG'])).toBe('tags');
    expect(binaryAsStrings('binary', jpeg, ['image001'])).toBe('tags');
    // Named as a file system stores it: a trailing dot or space, or an invisible character, is dropped.
    expect(binaryAsStrings('binary', jpeg, ['statement.ofx.'])).toBe('strings');
    expect(binaryAsStrings('binary', jpeg, ['statement.ofx\u200b '])).toBe('strings');
    expect(binaryAsStrings('binary', jpeg)).toBe('tags');
  });
});
