import { readFileSync } from 'node:fs';
import { crc32, gzipSync } from 'node:zlib';
import { rarFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, script } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 5 on archives beyond zip: each message below was delivered at the defaults.

const stack = useLocalStack();
const kit = attackerKit(stack);

const fixture = (name: string) => readFileSync(new URL(`../../../samples/archives/${name}`, import.meta.url));
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);

/** One tar header (checksum computed) with `fields` written at their offsets, then the content. */
/** A pax extended header (type x) holding `records`, for the entry after it. */
function paxHeader(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (`${length}${body}`.length !== length) length++;
    return `${length}${body}`;
  });
  return tarEntry('PaxHeader', Buffer.from(lines.join(''), 'utf8'), 'x', USTAR_MAGIC);
}
/** A cpio archive ("newc", as `cpio -H newc` and the Linux initramfs write it) of one file. */
function cpioOf(name: string, data: Buffer): Buffer {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const entry = (file: string, content: Buffer, mode: number) => {
    const fields = [1, mode, 0, 0, 1, 0, content.length, 0, 0, 0, 0, file.length + 1, 0];
    const head = Buffer.from(`070701${fields.map(hex).join('')}${file}\0`, 'latin1');
    return Buffer.concat([pad(head), pad(content)]);
  };
  return Buffer.concat([entry(name, data, 0o100644), entry('TRAILER!!!', Buffer.alloc(0), 0)]);
}
/** A Unix `ar` archive (the container of a `.deb`) of one file. */
function arOf(name: string, data: Buffer): Buffer {
  const head = `${name}/`.padEnd(16) + '0'.padEnd(12) + '0'.padEnd(6) + '0'.padEnd(6) + '100644'.padEnd(8);
  const member = Buffer.from(`${head}${String(data.length).padEnd(10)}\x60\n`, 'latin1');
  return Buffer.concat([Buffer.from('!<arch>\n'), member, data, Buffer.alloc(data.length % 2)]);
}
const withCrc = (head: Buffer, at: number, size: number) =>
  head.writeUInt16LE(crc32(head.subarray(at + 2, at + size)) & 0xffff, at);
/** A RAR 4 whose first file header (after the 7-byte marker and the 13-byte archive header) has `flags`. */
function withFirstFlags(rar: Buffer, flags: number): Buffer {
  rar.writeUInt16LE(flags, 20 + 3);
  withCrc(rar, 20, rar.readUInt16LE(20 + 5));
  return rar;
}
/** RAR 4 of a readme.txt (without LONG_BLOCK) whose stored data reads as an end block, then invoice.exe. */
function rarHidingTheRest(): Buffer {
  const end = Buffer.from([0, 0, 0x7b, 0, 0x40, 7, 0]);
  withCrc(end, 0, 7);
  const rar = rarFile([
    { name: 'readme.txt', data: Buffer.concat([end, Buffer.alloc(9)]) },
    { name: 'invoice.exe', data: MZ },
  ]);
  return withFirstFlags(rar, 0);
}
/**
 * The last part of a split zip (site.zip beside site.z01): the directory says index.html is on the first
 * part (disk 0), where the page is; at its offset in this part, a harmless file of the same name.
 */
function lastZipPart(): Buffer {
  const zip = zipFile([{ name: 'index.html', data: 'hello', method: 0 }]);
  const end = zip.length - 22;
  zip.writeUInt16LE(1, end + 4);
  zip.writeUInt16LE(1, end + 6);
  return zip;
}
/** A gzip whose header names its file `name` (FNAME), as `gzip -N` and 7-Zip show it. */
function gzipNamed(name: string, data: Buffer): Buffer {
  const plain = gzipSync(data);
  const header = Buffer.from(plain.subarray(0, 10));
  header[3] = 0x08;
  return Buffer.concat([header, Buffer.from(`${name}\0`, 'latin1'), plain.subarray(10)]);
}

const BYPASSES: Record<string, [Buffer, string]> = {
  // GNU tar, libarchive (Windows Explorer) and 7-Zip recognise a tar by its header checksum, not its magic.
  'a .tar.gz whose gzip names its file "x", holding a tar without its magic': attachedFile(
    'statement.tar.gz',
    gzipNamed('x', tarArchive(tarEntry('invoice.exe', MZ))),
  ),
  // GNU tar and libarchive extract under GNU.sparse.name, 7-Zip under path: the file has both names.
  'a pax tar whose path is readme.txt and whose GNU.sparse.name is invoice.vbs': attachedFile(
    'docs.tar',
    tarArchive(
      paxHeader({ path: 'readme.txt', 'GNU.sparse.name': 'invoice.vbs' }),
      tarEntry('readme.txt', Buffer.from(script('pax-sparse')), '0', USTAR_MAGIC),
    ),
  ),
  // 7-Zip opens both; wmflow reads neither, so it cannot know what they hold.
  'a cpio archive holding invoice.exe': attachedFile('invoice.cpio', cpioOf('invoice.exe', MZ)),
  'an ar archive holding a .vbs, named .dat': attachedFile(
    'invoice.dat',
    arOf('pay.vbs', Buffer.from(script('ar'))),
  ),
  // unrar and 7-Zip skip a file's packed data whatever its LONG_BLOCK flag says: both list invoice.exe.
  'a RAR 4 whose first file, without LONG_BLOCK, holds bytes that read as the end of the archive':
    attachedFile('docs.rar', rarHidingTheRest()),
  // 7-Zip and unrar show the byte name when RAR's Unicode encoding decodes to nothing.
  'a RAR 4 whose Unicode name encoding is empty, its byte name pay.vbs': attachedFile(
    'docs.rar',
    withFirstFlags(rarFile([{ name: 'pay.vbs\0', data: script('rar-unicode') }]), 0x8000 | 0x200),
  ),
  // GNU tar and 7-Zip read the next header right after a hard link or a folder, whatever its size says.
  'a tar whose hard link has a size covering the header of pay.vbs': attachedFile(
    'docs.tar',
    tarArchive(
      tarEntry('link', tarEntry('pay.vbs', Buffer.from(script('tar-link'))), '1'),
      tarEntry('readme.txt', Buffer.from('hi')),
    ),
  ),
  'a tar whose folder has a size covering the header of pay.vbs': attachedFile(
    'docs.tar',
    tarArchive(tarEntry('docs/', tarEntry('docs/pay.vbs', Buffer.from(script('tar-dir'))), '5')),
  ),
  // GNU tar and 7-Zip extract an entry of an unknown type as a regular file.
  'a tar holding a page that runs, as an entry of unknown type 9': attachedFile(
    'site.tar',
    tarArchive(tarEntry('index.html', Buffer.from('<html><script>alert("tar-type")</script></html>'), '9')),
  ),
  // data.xz holds "data": its name says nothing of what it is (here a tar of invoice.exe, which libarchive
  // and 7-Zip open inside); the threat model said it was refused.
  'data.xz holding a tar of invoice.exe': attachedFile('data.xz', fixture('data.xz')),
  // A link extracts with another file's content: GNU tar makes index.html a hard link to readme.txt, WinRAR
  // copies readme.txt's content to index.html (RAR 5 file copy).
  'a tar whose index.html is a hard link to a readme.txt that holds a script': attachedFile(
    'site.tar',
    tarArchive(
      tarEntry('readme.txt', Buffer.from('<html><script>alert("tar-link")</script></html>')),
      tarEntry('index.html', Buffer.alloc(0), '1', { 157: 'readme.txt' }),
    ),
  ),
  'a RAR 5 whose index.html is a copy of a readme.txt that holds a script': attachedFile(
    'site.rar',
    rarFile(
      [
        { name: 'readme.txt', data: '<html><script>alert("rar-copy")</script></html>' },
        { name: 'index.html', data: '', copyOf: 'readme.txt' },
      ],
      { version: 5 },
    ),
  ),
  // unzip and macOS Archive Utility extract a Unix symlink as one: index.html opens readme.txt's script.
  'a zip whose index.html is a symbolic link to a readme.txt that holds a script': attachedFile(
    'site.zip',
    zipFile([
      { name: 'readme.txt', data: '<html><script>alert("zip-link")</script></html>' },
      { name: 'index.html', data: 'readme.txt', symlink: true },
    ]),
  ),
  // gunzip (which restores no name unless told -N) and libarchive save index.html.gz as index.html.
  'index.html.gz holding a page that runs, its gzip header naming readme.txt': attachedFile(
    'index.html.gz',
    gzipNamed('readme.txt', Buffer.from('<html><script>alert("gz-name")</script></html>')),
  ),
  // WinRAR and 7-Zip join the volumes saved side by side: each part alone holds half a page.
  'a RAR 5 first volume holding the first half of a page that runs': attachedFile(
    'site.part1.rar',
    rarFile([{ name: 'index.html', data: '<html><scr', continued: true }], { version: 5 }),
  ),
  // 7-Zip reads a split zip's files from the parts they are on; the walk read this part's bytes.
  "a split zip's last part, its index.html on the first part": attachedFile('site.zip', lastZipPart()),
  "a split zip's first part (.z01) holding a page that runs": attachedFile(
    'site.z01',
    Buffer.concat([
      Buffer.from('PK\x07\x08', 'latin1'),
      zipFile([{ name: 'index.html', data: '<script>alert("z01")</script>', method: 0 }]).subarray(0, 70),
    ]),
  ),
};

describe('attacker round 5: archives beyond zip', () => {
  attachmentTests(kit, BYPASSES);
});
