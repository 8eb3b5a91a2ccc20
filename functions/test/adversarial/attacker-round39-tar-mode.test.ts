import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, USTAR_MAGIC } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 39 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SH = Buffer.from('#!/bin/sh\nopen -a Calculator # wmflow-attacker-s39\n');
const send = async (name: string, file: Buffer) => (await kit.inbound(attachedFile(name, file)[0])).verdict;

// GNU tar (from_header: octal digits, then a space or NUL ends the number) and libarchive (bsdtar, macOS `tar`:
// tar_atol8 stops at the first non-octal character) read the mode field's leading octal digits.
describe('A39-6 tar mode field with text after its octal digits', () => {
  it('control: Invoice (no extension) mode `0000755\\0` bounces', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: '0000755\0' }));
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('Invoice mode `0755 64` (GNU tar and bsdtar: 0755)', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: '0755 64\0' }));
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('Invoice mode `000755x` (bsdtar: 0755)', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: '000755x\0' }));
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('Invoice mode `rwxr-x\\0` (no octal digit: cannot be read, taken as executable)', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: 'rwxr-x\0' }));
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('control: Invoice mode `0000644\\0` is delivered', async () => {
    const tar = tarArchive(
      tarEntry('Invoice', Buffer.from('notes'), '0', { ...USTAR_MAGIC, 100: '0000644\0' }),
    );
    expect(await send('docs.tar', tar)).not.toBe('BOUNCE');
  });
  it('the same, gzipped (.tgz)', async () => {
    const tar = tarArchive(tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: '0755 64\0' }));
    expect(await send('docs.tgz', gzipSync(tar))).toBe('BOUNCE');
  });
});
