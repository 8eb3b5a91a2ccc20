import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, USTAR_MAGIC } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SH = Buffer.from('#!/bin/sh\nopen -a Calculator # wmflow-attacker-s40\n');
const send = async (name: string, file: Buffer) => (await kit.inbound(attachedFile(name, file)[0])).verdict;
const base256 = (hex: string) => Buffer.from(hex, 'hex').toString('latin1');

// GNU tar (from_header) and libarchive (tar_atol256) read a mode field whose first byte has its top bit set as a
// base-256 number: 0xFF… is negative (-1: every permission bit), 0x80 then 0xFF… a number past 2^53 whose low
// bits (mode_t) are all ones. wmflow's octal() answers -1 past Number.MAX_SAFE_INTEGER, and executableMode(-1) is
// false: the script is taken as not executable.
describe('A40 tar mode field in base-256 past 2^53', () => {
  it('control: Invoice (no extension), base-256 mode 0755 (80 00 00 00 00 00 01 ed), bounces', async () => {
    const tar = tarArchive(
      tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: base256('80000000000001ed') }),
    );
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('control: Invoice mode 0644 is delivered', async () => {
    const tar = tarArchive(tarEntry('Invoice', Buffer.from('notes'), '0', USTAR_MAGIC));
    expect(await send('docs.tar', tar)).not.toBe('BOUNCE');
  });
  it('Invoice, base-256 mode -1 (ff ff ff ff ff ff ff ff: GNU tar and bsdtar extract it rwx)', async () => {
    const tar = tarArchive(
      tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: base256('ffffffffffffffff') }),
    );
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('Invoice, base-256 mode 80 ff ff ff ff ff ff ff (low bits all ones)', async () => {
    const tar = tarArchive(
      tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: base256('80ffffffffffffff') }),
    );
    expect(await send('docs.tar', tar)).toBe('BOUNCE');
  });
  it('Invoice, base-256 mode 80 20 00 00 00 00 01 ed (2^53 + 0755)', async () => {
    const tar = tarArchive(
      tarEntry('Invoice', SH, '0', { ...USTAR_MAGIC, 100: base256('80200000000001ed') }),
    );
    expect(await send('docs.tgz', gzipSync(tar))).toBe('BOUNCE');
  });
});
