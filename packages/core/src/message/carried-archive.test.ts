import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/zip.js';
import { MAX_LISTED_ARCHIVE } from './archive-files.js';
import { CarriedArchive } from './carried-archive.js';
import { sniffType } from './sniff.js';

function carry(bytes: Buffer, pieces = 3): ReturnType<CarriedArchive['end']> {
  const carried = new CarriedArchive();
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) carried.push(bytes.subarray(at, at + step));
  return carried.end(sniffType(bytes.subarray(0, 64)));
}

describe('CarriedArchive: a zip carried inside other content is listed like an attached one', () => {
  it('lists the files of a zip that arrives in pieces, with their sniffed types', () => {
    const zip = zipFile([
      { name: 'docs/invoice.exe', data: Buffer.from('MZ\x90\x00', 'latin1') },
      { name: 'notes.txt', data: 'x'.repeat(300) },
    ]);
    expect(carry(zip, 7)).toEqual({
      names: ['docs/invoice.exe', 'notes.txt'],
      sniffedTypes: ['application/x-msdownload'],
    });
  });

  it('says why when the zip cannot be listed whole: cut, encrypted, too large', () => {
    const zip = zipFile([{ name: 'a.txt', data: 'hello' }]);
    expect(carry(zip.subarray(0, zip.length - 10))?.problem).toMatch(/cannot all be listed/);
    const locked = zipFile([{ name: 'statement.pdf', data: 'secret', encrypted: true }]);
    expect(carry(locked)).toMatchObject({
      names: ['statement.pdf'],
      problem: 'encrypted files inside a zip inside: statement.pdf',
    });
    const large = Buffer.alloc(MAX_LISTED_ARCHIVE + 1);
    zip.copy(large);
    expect(carry(large, 4)?.problem).toBe(`a zip over ${MAX_LISTED_ARCHIVE} bytes inside`);
  });

  it('reports another archive as not listed, and nothing for a file that is no archive', () => {
    const rar = Buffer.from('Rar!\x1a\x07\x01\x00 more bytes', 'latin1');
    expect(carry(rar)?.problem).toBe(
      'an archive (application/x-rar-compressed) inside, whose files are not listed',
    );
    expect(carry(Buffer.from('%PDF-1.7 a document'))).toBeUndefined();
    expect(new CarriedArchive().end(undefined)).toBeUndefined();
  });
});
