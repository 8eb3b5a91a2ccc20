import { describe, expect, it } from 'vitest';
import { uuencode } from '../testing/uuencode.js';
import { encodedFiles, yencFiles } from './encoded-files.js';

describe('encodedFiles: files uuencoded or begin-base64 in a text', () => {
  it('decodes each file with its name, both encodings, an unended one as far as it goes', () => {
    const a = Buffer.from('first file '.repeat(20));
    const b = Buffer.from('second');
    const text = `intro\n${uuencode(a, 'a.txt').replace(/\r\n/g, '\n')}\nmiddle\nbegin-base64 644 b.bin\n${b.toString('base64')}\n====\nbegin 600 cut.txt\n${uuencode(b, 'x').split('\r\n')[1]}\n`;
    expect(encodedFiles(text, 1024).map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['a.txt', a.toString()],
      ['b.bin', 'second'],
      ['cut.txt', 'second'],
    ]);
    expect(encodedFiles('begin with a plan\nand no file\n', 1024)).toEqual([]);
  });

  it('throws once the files hold more than the bytes allowed', () => {
    const big = uuencode(Buffer.alloc(5000, 'x'), 'big.txt').replace(/\r\n/g, '\n');
    expect(() => encodedFiles(big, 4096)).toThrow(/more than 4096 bytes/);
    expect(encodedFiles(big, 5000)[0]?.bytes.length).toBe(5000);
  });
});

describe('yencFiles: files yEnc-encoded in a text', () => {
  // Each byte plus 42; `=` escapes NUL, LF, CR and `=`.
  const yenc = (data: Buffer) =>
    [...data]
      .map((b) => (b + 42) & 0xff)
      .map((c) => ([0, 10, 13, 61].includes(c) ? `=${String.fromCharCode(c + 64)}` : String.fromCharCode(c)))
      .join('');
  const card = Buffer.from('card 4111 1111 1111 1111\r\n');
  it('decodes each file to its end line, the next begin line or the text end', () => {
    const text = `hi\r\n=ybegin line=128 size=26 name=card.txt\r\n${yenc(card)}\r\n=yend size=26\r\nbye\n=ybegin line=128 size=2 name=b.bin\n${yenc(Buffer.from([0xd6, 0xe3]))}\nbegin 644 c.txt\n`;
    expect(yencFiles(text, 1024)).toEqual([
      { name: 'card.txt', bytes: card },
      { name: 'b.bin', bytes: Buffer.from([0xd6, 0xe3]) },
    ]);
  });
  it('says why a part of a multi-part file is not the file, and throws past the bytes allowed', () => {
    const text = `=ybegin part=2 total=2 line=128 size=52 name=card.txt\n=ypart begin=27 end=52\n${yenc(card)}\n=yend size=26 part=2\n`;
    expect(yencFiles(text, 1024)).toEqual([
      { name: 'card.txt', bytes: card, problem: expect.stringMatching(/in parts/) },
    ]);
    expect(() => yencFiles(text, 10)).toThrow(/more than 10 bytes/);
  });
  // Round 53: Thunderbird ends a yEnc line at a NUL, and cuts a line past its 1000-byte buffer.
  it('says why a file with a NUL in a line or a line over 997 characters is not known', () => {
    const nul = `=ybegin line=128 size=26 name=card.txt\n${yenc(card).slice(0, 5)}\0${yenc(card).slice(5)}\n=yend size=26\n`;
    expect(yencFiles(nul, 1024)[0]?.problem).toMatch(/NUL/);
    const long = yenc(Buffer.concat([Buffer.alloc(993, 0x41), card]));
    const wide = `=ybegin line=128 size=1019 name=card.txt\n${long}\n=yend size=1019\n`;
    expect(yencFiles(wide, 4096)[0]?.problem).toMatch(/more than 997/);
  });
  it('gives a begin-line name cut at a quote as an alias, as Thunderbird reads it', () => {
    const text = `=ybegin line=128 size=26 name=card.pdf" .txt\n${yenc(card)}\n=yend size=26\n`;
    expect(yencFiles(text, 1024)).toEqual([{ name: 'card.pdf" .txt', alias: 'card.pdf', bytes: card }]);
    const uu = uuencode(card, 'card.js" .txt').replace(/\r\n/g, '\n');
    expect(encodedFiles(uu, 1024)).toEqual([{ name: 'card.js" .txt', alias: 'card.js', bytes: card }]);
  });
});
