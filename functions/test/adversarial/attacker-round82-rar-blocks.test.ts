import { crc32 } from 'node:zlib';
import { rarFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 82: a RAR 4 archive header (or a comment block) that sets LONG_BLOCK with a data size spanning the
// first file's block. unrar reads no data after either, libarchive (Windows 11's built-in extraction) none after an
// archive header: both extract `invoice.exe`. The guard skipped that block, listed `notes.txt` and delivered it.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-82-3', 'latin1'), Buffer.alloc(100)]);

function skippingFirst(type: 0x73 | 0x75, hidden: { name: string; data: Buffer | string }): Buffer {
  const rar = rarFile([hidden, { name: 'notes.txt', data: 'total 10\r\n' }]);
  const first = 7 + 13;
  const block = Buffer.alloc(13);
  block.writeUInt8(type, 2);
  block.writeUInt16LE(0x8000, 3);
  block.writeUInt16LE(13, 5);
  block.writeUInt32LE(rar.readUInt16LE(first + 5) + rar.readUInt32LE(first + 7), 7);
  block.writeUInt16LE(crc32(block.subarray(2)) & 0xffff, 0);
  return type === 0x73
    ? Buffer.concat([rar.subarray(0, 7), block, rar.subarray(first)])
    : Buffer.concat([rar.subarray(0, first), block, rar.subarray(first)]);
}

describe('A82-3: a RAR 4 block whose announced data hides a file from the guard only', () => {
  attachmentTests(kit, {
    'an executable under the archive header': attachedFile(
      'notes.rar',
      skippingFirst(0x73, { name: 'invoice.exe', data: MZ }),
    ),
    'a script under the archive header (caught by name only, once listed)': attachedFile(
      'notes.rar',
      skippingFirst(0x73, { name: 'invoice.js', data: 'WScript.Echo("wmflow-82-3")' }),
    ),
    'an executable under a comment block': attachedFile(
      'notes.rar',
      skippingFirst(0x75, { name: 'invoice.exe', data: MZ }),
    ),
  });

  it('(control) delivers the RAR of a text file', async () => {
    const [message] = attachedFile('notes.rar', rarFile([{ name: 'notes.txt', data: 'total 10\r\n' }]));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
