// Attacker round 97: an archive's file written outside the folder it is extracted to without a `..` in its own name:
// an absolute path (`/…`, `C:\…`, `C:name`, `\\server\share\…`, `\\?\…`), a symbolic link whose target leaves the
// folder (absolute, or climbing from the link's own folder) or a tar hard link to a path outside, and a file written
// through (or over) an earlier link, its path matched as Windows and macOS match names (case, trailing dots and
// spaces, Unicode normalization). Each makes the archive unlisted.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rar5Header, rarFile, rarVint } from '../testing/rar.js';
import { paxHeader, paxRecord, tarArchive, tarEntry, USTAR_MAGIC } from '../testing/tar.js';
import { zipFile } from '../testing/zip.js';
import { listArchive } from './archive-files.js';

const TEXT = Buffer.from('notes\n', 'utf8');
const NONE = Buffer.alloc(0);
// A name's UTF-8 bytes, as the tar builder (which writes latin1) must be given them.
const utf8 = (name: string) => Buffer.from(name, 'utf8').toString('latin1');
const link = (name: string, target: string, type: '1' | '2' = '2') =>
  tarEntry(name, NONE, type, { ...USTAR_MAGIC, 157: target });
const file = (name: string) => tarEntry(name, TEXT, '0', USTAR_MAGIC);
const tar = (...entries: Buffer[]) => listArchive(tarArchive(...entries), 'tar');

/** A RAR 5 file header named `name`: stored `data`, or with `redirect` a link of that kind (1 a Unix symlink). */
function file5(name: string, data: Buffer, redirect?: { kind: number; target: string }): Buffer {
  const n = [...Buffer.from(name, 'utf8')];
  const t = [...Buffer.from(redirect?.target ?? '', 'utf8')];
  const record = redirect ? [5, ...rarVint(redirect.kind), 0, ...rarVint(t.length), ...t] : [];
  const extra = redirect ? [...rarVint(record.length), ...record] : [];
  const head = rar5Header([
    2,
    0x2 | (extra.length ? 0x1 : 0),
    ...(extra.length ? rarVint(extra.length) : []),
    ...rarVint(data.length),
    0,
    ...rarVint(data.length),
    0x20,
    0,
    0,
    ...rarVint(n.length),
    ...n,
    ...extra,
  ]);
  return Buffer.concat([head, data]);
}
const rar5 = (...files: Buffer[]) =>
  listArchive(
    Buffer.concat([
      Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
      rar5Header([1, 0, 0]),
      ...files,
      rar5Header([5, 0, 0]),
    ]),
    'rar',
  );

describe('attacker round 97: paths and links out of the extraction folder', () => {
  it.each([
    ['/etc/cron.d/x'],
    ['\\Users\\bob\\x.dotm'],
    ['C:\\Users\\bob\\x.dotm'],
    ['c:/Users/bob/x.dotm'],
    ['C:x.dotm'],
    ['\\\\server\\share\\x.dotm'],
    ['\\\\?\\C:\\x.dotm'],
    ['//server/share/x.dotm'],
  ])('makes an archive holding the absolute path %s unlisted', (name) => {
    expect(tar(file('a.txt'), file(name)).unreadable).toMatch(/absolute|leaves the folder/);
    expect(listArchive(zipFile([{ name, data: TEXT }]), 'zip').unreadable).toMatch(
      /absolute|leaves the folder/,
    );
  });

  it.each([
    ['an absolute target', [link('d', '/home/bob')]],
    ['a Windows target', [link('d', 'C:\\Users\\bob')]],
    ['a UNC target', [link('d', '\\\\evil.example\\share')]],
    ['a target climbing out of its folder', [link('a/b/d', '../../../x')]],
    ['a target climbing out with a Windows `.. ` segment', [link('d', '.. \\x')]],
    ['a pax linkpath out', [paxHeader(paxRecord('linkpath=/etc')), link('d', 'inside')]],
    [
      'a GNU long link name out',
      [tarEntry('././@LongLink', Buffer.from('/etc\0'), 'K'), link('d', 'inside')],
    ],
    ['a hard link to an absolute path', [link('d', '/home/bob/.bashrc', '1')]],
    ['a hard link with a `..` target', [link('d', '../.bashrc', '1')]],
  ])('makes a tar with a link of %s unlisted', (_, entries) => {
    expect(tar(...entries).unreadable).toMatch(/link/);
  });

  it.each([
    ['a file through a link', [link('d', 'x'), file('d/.bashrc')]],
    ['a file over a link', [link('d', 'x'), file('d')]],
    ['a link through a link', [link('a', '.'), link('a/b', '..')]],
    ['a file through a link matched case-insensitively', [link('Docs', 'x'), file('DOCS/x.plist')]],
    ['trailing dots and spaces', [link('docs', 'x'), file('docs. . /x')]],
    ['NFD against NFC', [link(utf8('caf\u00e9'), 'x'), file(utf8('cafe\u0301/x'))]],
    ['a `./` prefix and a backslash', [link('./docs', 'x'), file('docs\\x')]],
    ['a hard link whose target goes through a link', [link('d', 'x'), link('e', 'd/y', '1')]],
  ])('makes a tar with %s unlisted', (_, entries) => {
    expect(tar(...entries).unreadable).toMatch(/link/);
  });

  it('makes a zip with a symlink out and a file through it unlisted', () => {
    const zip = zipFile([
      { name: 'docs', data: 'C:\\Users\\bob\\AppData', symlink: true, method: 0 },
      { name: 'docs/CV.dotm', data: TEXT },
    ]);
    expect(listArchive(zip, 'zip').unreadable).toMatch(/link/);
    // Compressed (deflated) link targets are read too.
    const deflated = zipFile([{ name: 'docs', data: '/Users/bob/Library/LaunchAgents', symlink: true }]);
    expect(listArchive(deflated, 'zip').unreadable).toMatch(/link/);
    // UnZip makes links of S_IFLNK entries from BeOS (16), Atari (5), VMS (2) and AtheOS (30) hosts too.
    for (const host of [2, 5, 16, 30]) {
      const beos = zipFile([
        { name: 'docs', data: 'x', method: 0, madeBy: { host, mode: 0o120777 } },
        { name: 'docs/x.plist', data: TEXT },
      ]);
      expect(listArchive(beos, 'zip').unreadable, String(host)).toMatch(/through the link docs/);
    }
  });

  it('reads the targets of RAR links (RAR 5 redirections, RAR 4 Unix symlinks) and 7z-like links by name', () => {
    // unrar before 6.12 let a symlink target's `..\\` through on Unix (CVE-2022-30333).
    expect(rar5(file5('d', NONE, { kind: 1, target: '..\\..\\.ssh' })).unreadable).toMatch(/link/);
    expect(rar5(file5('d', NONE, { kind: 2, target: 'C:\\Users\\bob' })).unreadable).toMatch(/link/);
    expect(rar5(file5('d', NONE, { kind: 1, target: 'x' }), file5('d/.bashrc', TEXT)).unreadable).toMatch(
      /through the link/,
    );
    expect(
      listArchive(rarFile([{ name: 'd', data: '', copyOf: '/etc/passwd' }], { version: 5 }), 'rar')
        .unreadable,
    ).toMatch(/link/);
    const rar4 = rarFile([
      { name: 'docs', data: '/home/bob', unixMode: 0o120777 },
      { name: 'docs/.bashrc', data: TEXT },
    ]);
    expect(listArchive(rar4, 'rar').unreadable).toMatch(/link/);
    // Controls: a RAR 5 symlink inside, and a copy of a listed file.
    expect(
      rar5(file5('a/d', NONE, { kind: 1, target: '../b' }), file5('b/x.txt', TEXT)).unreadable,
    ).toBeUndefined();
    expect(
      listArchive(
        rarFile(
          [
            { name: 'a.txt', data: TEXT },
            { name: 'b.txt', data: '', copyOf: 'a.txt' },
          ],
          { version: 5 },
        ),
        'rar',
      ).unreadable,
    ).toBeUndefined();
  });

  it('sees a file written through a 7z Unix symlink (mode S_IFLNK in the attributes)', () => {
    // `unix-exec.7z` (plain header: Invoice 0755, notes.txt 0644), Invoice made a symlink and notes.txt renamed
    // `Invoice/x` (as many UTF-16 units), the header's CRC recomputed.
    const archive = Buffer.from(
      readFileSync(new URL('../../../../samples/archives/unix-exec.7z', import.meta.url)),
    );
    const header = 32 + Number(archive.readBigUInt64LE(12));
    const patch = (from: Buffer, to: Buffer) => {
      const at = archive.indexOf(from, header);
      expect(at).toBeGreaterThan(0);
      to.copy(archive, at);
    };
    const linked = () => {
      archive.writeUInt32LE(crc32(archive.subarray(header)), 28);
      archive.writeUInt32LE(crc32(archive.subarray(12, 32)), 8);
      return listArchive(archive, '7z');
    };
    patch(Buffer.from('2080ed81', 'hex'), Buffer.from('2080eda1', 'hex'));
    expect(linked()).toMatchObject({ names: ['Invoice', 'notes.txt'] });
    expect(linked().unreadable).toBeUndefined();
    patch(Buffer.from('notes.txt', 'utf16le'), Buffer.from('Invoice/x', 'utf16le'));
    expect(linked().unreadable).toMatch(/Invoice\/x: a path through the link Invoice/);
  });

  it('lists links that stay inside, and names with dots, colons and ./ prefixes', () => {
    const files = tar(
      tarEntry('./p/', NONE, '5', USTAR_MAGIC),
      file('./p/src/config.h'),
      link('./p/include/config.h', '../src/config.h'),
      link('p/latest', 'v2'),
      link('p/here', '.'),
      link('p/notes.txt', 'p/src/config.h', '1'),
      file('p/v2/..notes..txt'),
      file('p/latest2/x'),
      file('p/Meeting 10:30.txt'),
    );
    expect(files.unreadable).toBeUndefined();
    const zip = zipFile([
      { name: 'B.bundle/Versions/Current', data: 'A', symlink: true, method: 0 },
      { name: 'B.bundle/Versions/A/r.txt', data: TEXT },
    ]);
    expect(listArchive(zip, 'zip').unreadable).toBeUndefined();
  });

  // Its growth on a path four times as long is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('checks a long path against the links', () => {
    const long = `${'a/'.repeat(200_000)}x`;
    const entries = [
      paxHeader(paxRecord(`path=${'a/'.repeat(1000)}a`)),
      link('l', 'y'),
      paxHeader(paxRecord(`path=${long}`)),
      file('z'),
    ];
    expect(tar(...entries).unreadable).toMatch(/link/);
  });
});
