import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, USTAR_MAGIC } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 38 (session 29): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SH = Buffer.from('#!/bin/sh\nopen -a Calculator # wmflow-attacker-s38\n');
const send = async (name: string, file: Buffer) => (await kit.inbound(attachedFile(name, file)[0])).verdict;

// GNU tar and bsdtar (macOS Archive Utility, `tar -x`) extract a type-1 entry as a hard link: the same inode, so
// the target's 0755 mode, under the link's own name. `Invoice` has no extension: Finder runs it in Terminal.
describe('A38-2 tar hard link gives an extensionless name an executable inode', () => {
  it('control: Invoice (no extension) mode 0755 bounces', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: '0000755\0' }));
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('control: notes.txt mode 0755 alone is delivered (opens by extension)', async () => {
    const tar = tarArchive(tarEntry('notes.txt', SH, '0', { ...USTAR_MAGIC, 100: '0000755\0' }));
    expect(await send('docs.tar', tar)).toBe('DEFAULT');
  });
  it('hard link Invoice -> notes.txt (0755): the link has no extension and the executable inode', async () => {
    const tar = tarArchive(
      tarEntry('notes.txt', SH, '0', { ...USTAR_MAGIC, 100: '0000755\0' }),
      tarEntry('Invoice', Buffer.alloc(0), '1', { ...USTAR_MAGIC, 157: 'notes.txt' }),
    );
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('hard link, gzip (.tgz)', async () => {
    const tar = tarArchive(
      tarEntry('notes.txt', SH, '0', { ...USTAR_MAGIC, 100: '0000755\0' }),
      tarEntry('Invoice', Buffer.alloc(0), '1', { ...USTAR_MAGIC, 157: 'notes.txt' }),
    );
    expect(await send('docs.tgz', gzipSync(tar))).toBe('BOUNCE');
  });
  it('held: hard link named Invoice.vbs -> a.txt bounces by its name', async () => {
    const tar = tarArchive(
      tarEntry('a.txt', SH, '0', USTAR_MAGIC),
      tarEntry('Invoice.vbs', Buffer.alloc(0), '1', { ...USTAR_MAGIC, 157: 'a.txt' }),
    );
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('held: cpgz: gzip of a cpio (Archive Utility format), executable Invoice', async () => {
    const name = 'Invoice';
    const hdr = (n: string, mode: number, size: number) =>
      `070701${[1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, n.length + 1, 0].map((v) => v.toString(16).padStart(8, '0')).join('')}${n}\0`;
    const pad = (s: Buffer) => Buffer.concat([s, Buffer.alloc((4 - (s.length % 4)) % 4)]);
    const cpio = Buffer.concat([
      pad(Buffer.from(hdr(name, 0o100755, SH.length), 'latin1')),
      pad(SH),
      pad(Buffer.from(hdr('TRAILER!!!', 0, 0), 'latin1')),
    ]);
    expect(await send('docs.cpgz', gzipSync(cpio))).toBe('BOUNCE');
  });
});
