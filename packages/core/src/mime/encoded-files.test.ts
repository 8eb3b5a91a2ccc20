import { describe, expect, it } from 'vitest';
import { uuencode } from '../testing/uuencode.js';
import { encodedFiles } from './encoded-files.js';

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
