import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A102: round 97 left a 7z's Windows reparse points open. `7z a -snl` on Windows stores a symbolic link or a
// directory junction as an entry with attribute FILE_ATTRIBUTE_REPARSE_POINT (0x400) whose content is the reparse
// data, and 7-Zip writes it back as a link on extraction; a later entry written through it lands where the link
// points (a junction `Startup` to Word's STARTUP folder, then `Startup/CV.dotm`). The guard read only the Unix S_IFLNK
// mode as a link, listed the reparse point as a plain file and the file through it by its harmless name, and
// delivered the archive. Such an entry is now a link: a file through it makes the archive unlisted (refused at the
// defaults), as round 97 does for every other link.
const kit = attackerKit(useLocalStack());

// `samples/archives/unix-exec.7z` (plain header: Invoice 0755, notes.txt 0644), patched: Invoice's attributes, and
// notes.txt's name (as many UTF-16 units), the header's CRC recomputed.
function patched(attributes: string, second = 'notes.txt'): Buffer {
  const archive = Buffer.from(
    readFileSync(new URL('../../../samples/archives/unix-exec.7z', import.meta.url)),
  );
  const header = 32 + Number(archive.readBigUInt64LE(12));
  const patch = (from: Buffer, to: Buffer) => {
    const at = archive.indexOf(from, header);
    expect(at).toBeGreaterThan(0);
    to.copy(archive, at);
  };
  patch(Buffer.from('2080ed81', 'hex'), Buffer.from(attributes, 'hex'));
  patch(Buffer.from('notes.txt', 'utf16le'), Buffer.from(second, 'utf16le'));
  archive.writeUInt32LE(crc32(archive.subarray(header)), 28);
  archive.writeUInt32LE(crc32(archive.subarray(12, 32)), 8);
  return archive;
}

describe('A102: a file written through a 7z reparse point', () => {
  attachmentTests(kit, {
    '7z: a symbolic link (0x420) and a file through it': attachedFile(
      'CV.7z',
      patched('20040000', 'Invoice/x'),
    ),
    '7z: a directory junction (0x410) and a file through it, named in capitals': attachedFile(
      'CV.7z',
      patched('10040000', 'INVOICE/x'),
    ),
  });
  it('is refused as unlisted, and delivered under ALLOW_UNLISTED_ARCHIVES when no name is blocked', async () => {
    const [message] = attachedFile('CV.7z', patched('20040000', 'Invoice/x'));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
});

describe('A102 controls: 7z archives of ordinary files', () => {
  it('(control) delivers a 7z of two Windows files (attribute 0x20)', async () => {
    const [message] = attachedFile('CV.7z', patched('20000000'));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a 7z holding a reparse point with no file through it (its target is not read)', async () => {
    const [message] = attachedFile('CV.7z', patched('20040000'));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
