import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, USTAR_MAGIC } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 82: a tar whose GNU volume label (type V) has a size spanning a file's header and data. GNU tar skips
// the label's "data"; libarchive before its 2024 rewrite of the tar reader (3.7.2, Windows 11's tar.exe and built-in
// extraction) reads the next header right after the label and extracts `invoice.exe`. The guard skipped it as GNU tar
// does, listed the CSVs and delivered the archive.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-82-4', 'latin1'), Buffer.alloc(100)]);
const csv = (name: string) =>
  tarEntry(name, Buffer.from('date,amount\r\n2026-01-02,10\r\n'), '0', USTAR_MAGIC);
const labelled = (hidden: Buffer) =>
  tarArchive(csv('january.csv'), tarEntry('figures', hidden, 'V', USTAR_MAGIC), csv('february.csv'));

describe('A82-4: a tar volume label whose size hides a file', () => {
  attachmentTests(kit, {
    'an executable (tar)': attachedFile(
      'figures.tar',
      labelled(tarEntry('invoice.exe', MZ, '0', USTAR_MAGIC)),
    ),
    'a script (tar.gz)': attachedFile(
      'figures.tar.gz',
      gzipSync(
        labelled(tarEntry('invoice.js', Buffer.from('WScript.Echo("wmflow-82-4")'), '0', USTAR_MAGIC)),
      ),
    ),
  });

  it('(control) delivers a tar.gz of CSVs, with or without a volume label of no size', async () => {
    for (const tar of [
      tarArchive(csv('january.csv'), csv('february.csv')),
      tarArchive(tarEntry('figures', Buffer.alloc(0), 'V', USTAR_MAGIC), csv('january.csv')),
    ]) {
      const [message] = attachedFile('figures.tar.gz', gzipSync(tar));
      expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
    }
  });
});
