import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/zip.js';
import { MAX_LISTED_ARCHIVE } from './archive-files.js';
import { CarriedArchive, carriedFiles } from './carried-archive.js';

function carry(bytes: Buffer, pieces = 3, names: string[] = []): ReturnType<CarriedArchive['end']> {
  const carried = new CarriedArchive();
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) carried.push(bytes.subarray(at, at + step));
  return carried.end(names);
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
      problem: 'encrypted files inside a zip archive inside: statement.pdf',
    });
    const large = Buffer.alloc(MAX_LISTED_ARCHIVE + 1);
    zip.copy(large);
    expect(carry(large, 4)?.problem).toBe(`an archive over ${MAX_LISTED_ARCHIVE} bytes inside`);
  });

  it('lists other kinds too: a gzip names its file after the names it is saved under', () => {
    const gz = gzipSync(Buffer.from('MZ\x90\x00', 'latin1'));
    expect(carry(gz, 2, ['invoice.exe.gz'])).toEqual({
      names: ['invoice.exe'],
      sniffedTypes: ['application/x-msdownload'],
    });
    const bz2 = Buffer.from('BZh91AY&SY\x00\x00 more', 'latin1');
    expect(carry(bz2, 1, ['setup.exe.bz2'])?.names).toEqual(['setup.exe']);
    expect(carry(bz2, 1)?.problem).toMatch(/cannot all be listed: the name of the file inside/);
    const rar = Buffer.from('Rar!\x1a\x07\x01\x00 cut', 'latin1');
    expect(carry(rar)?.problem).toMatch(/^the files of a rar archive inside cannot all be listed/);
  });

  it('says a file saved under an archive name is not known when its content is not that archive', () => {
    const text = Buffer.from('plain text, not a tar '.repeat(40));
    expect(carry(text, 2, ['old.tar'])?.problem).toBe(
      'a file named as a tar archive whose content was not listed as one',
    );
    expect(carriedFiles(text, ['old.tar'])?.problem).toMatch(/named as a tar archive/);
    expect(carriedFiles(text, ['notes.txt'])).toBeUndefined();
  });

  it('gives nothing for a file that is no archive, however short', () => {
    expect(carry(Buffer.from('%PDF-1.7 a document '.repeat(40)))).toBeUndefined();
    expect(carry(Buffer.from('PK'))).toBeUndefined();
    expect(new CarriedArchive().end()).toBeUndefined();
  });
});
