import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paxHeader, paxRecord, tarArchive, tarEntry, USTAR_MAGIC } from '../testing/tar.js';
import { listArchive } from './archive-files.js';
import { archiveKindOf } from './archive-kind.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));
const LONG = `${'d'.repeat(60)}/${'e'.repeat(60)}/payload-with-a-very-long-name-beyond-one-hundred.exe`;

describe('eachTarEntry: the files of a tar archive as GNU tar lists them', () => {
  it('names ustar files and sniffs their content (GNU tar --format=ustar)', () => {
    const tar = fixture('invoice.tar');
    expect(archiveKindOf(tar)).toBe('tar');
    expect(listArchive(tar, 'tar')).toEqual({
      names: ['invoice.exe', 'notes.txt'],
      sniffedTypes: ['application/x-msdownload'],
      encrypted: [],
    });
  });

  it('names a file by its GNU long name (././@LongLink) and by its pax path', () => {
    for (const name of ['long-gnu.tar', 'long-pax.tar'])
      expect(listArchive(fixture(name), 'tar').names).toContain(LONG);
  });

  it('lists the tar inside a .tgz, named after the gzip file', () => {
    expect(listArchive(fixture('invoice.tgz'), 'gzip', 'invoice.tgz').names).toEqual([
      'invoice.tar',
      'invoice.tar/invoice.exe',
    ]);
  });

  it('refuses a header whose checksum is wrong, a size past the end, an extended header with no file after it', () => {
    const tar = Buffer.from(fixture('invoice.tar'));
    const bad = Buffer.from(tar);
    bad[0] = 0x78;
    expect(listArchive(bad, 'tar').unreadable).toMatch(/bad header checksum/);
    expect(listArchive(tar.subarray(0, 560), 'tar').unreadable).toMatch(/size past the end|truncated/);
    const gnu = fixture('long-gnu.tar');
    expect(listArchive(Buffer.concat([gnu.subarray(0, 1024), Buffer.alloc(1024)]), 'tar').unreadable).toMatch(
      /extended header with no file/,
    );
  });

  it('refuses malformed pax records', () => {
    const pax = fixture('long-pax.tar');
    const broken = Buffer.from(pax);
    const at = broken.indexOf(' path=');
    broken.write('x', at - 1, 'latin1');
    expect(listArchive(broken, 'tar').unreadable).toBeDefined();
  });

  it("refuses a pax size other than the header's, and a global one: tools that know pax and tools that do not disagree on the files", () => {
    const pax = (type: 'x' | 'g' | 'X', records: string[]) =>
      paxHeader(records.map(paxRecord).join(''), type);
    const exe = tarEntry('Invoice.exe', Buffer.from('MZ'), '0', USTAR_MAGIC);
    const readme = tarEntry('readme.txt', Buffer.alloc(0), '0', USTAR_MAGIC);
    // libarchive, GNU tar, 7-Zip and Python take the pax size, and read readme.txt's data over the next header.
    expect(listArchive(tarArchive(pax('x', ['size=1024']), readme, exe), 'tar').unreadable).toMatch(
      /pax size 1024 unlike the header's 0/,
    );
    expect(listArchive(tarArchive(pax('x', ['size=0']), exe), 'tar').unreadable).toMatch(/pax size 0 unlike/);
    expect(listArchive(tarArchive(pax('x', ['size=x2']), exe), 'tar').unreadable).toMatch(/pax size x2/);
    expect(listArchive(tarArchive(pax('g', ['size=1024']), readme, exe), 'tar').unreadable).toMatch(
      /global pax header with a size/,
    );
    // Solaris tar's X header is a pax header to GNU tar, libarchive and 7-Zip.
    expect(listArchive(tarArchive(pax('X', ['size=1024']), readme, exe), 'tar').unreadable).toMatch(
      /pax size 1024/,
    );
    expect(listArchive(tarArchive(pax('X', ['path=Invoice.vbs']), readme), 'tar').names).toEqual([
      'Invoice.vbs',
      'readme.txt',
    ]);
    // A record GNU tar stops at (a length not in decimal digits, no line feed at its end) while others read
    // on: the path after it is not the same to all.
    for (const bad of ['0x1a path=Invoice.vbs\n', '+26 path=Invoice.vbs\n', '20 path=Invoice.vbsX'])
      expect(listArchive(tarArchive(paxHeader(bad), readme), 'tar').unreadable, bad).toMatch(/malformed pax/);
    // The size every tool writes, the header's own, is read as before; it describes the next file only.
    expect(
      listArchive(tarArchive(pax('x', ['size=2', 'path=a/Invoice.exe']), exe, readme), 'tar').names,
    ).toEqual(['a/Invoice.exe', 'Invoice.exe', 'readme.txt']);
  });

  it('names a gzip file by its header (FNAME) and by its own name (gunzip without -N); a gzip of text is listed', () => {
    expect(listArchive(fixture('invoice.exe.gz'), 'gzip', 'x.gz').names).toEqual(['invoice.exe', 'x']);
    expect(listArchive(fixture('invoice.exe.gz'), 'gzip', ['a.gz', 'b.gz']).names).toEqual([
      'invoice.exe',
      'a',
      'b',
    ]);
    expect(listArchive(fixture('noname.gz'), 'gzip', 'noname.gz').names).toEqual(['noname']);
    const unnamed = listArchive(fixture('noname.gz'), 'gzip', 'data.bin');
    expect(unnamed).toEqual({ names: [], sniffedTypes: ['application/x-msdownload'], encrypted: [] });
    expect(listArchive(gzipSync('hello'), 'gzip', 'notes.txt.gz')).toEqual({
      names: ['notes.txt'],
      sniffedTypes: [],
      encrypted: [],
    });
  });
});
