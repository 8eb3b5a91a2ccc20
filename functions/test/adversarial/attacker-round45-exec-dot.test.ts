import { tarArchive, tarEntry, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-2: an archive entry with an execute bit named `Invoice/.` is extracted by libarchive and Python as the file
// `Invoice`, which Finder runs in Terminal. The execute-bit check read the base `.` as a hidden file and never
// looked at the path as extractors resolve it.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SH = '#!/bin/sh\nopen -a Calculator\n';

describe('A45-2: an executable archive entry named with a trailing /.', () => {
  for (const name of ['Invoice/.', 'docs/Invoice/.', 'docs\\Invoice\\.']) {
    it(`bounces the zip entry ${name}`, async () => {
      const [m] = attachedFile(
        'invoice.zip',
        zipFile([{ name, data: SH, unixMode: 0o755 }]),
        'application/zip',
      );
      expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
    });
    it(`bounces the tar entry ${name}`, async () => {
      const tar = tarArchive(tarEntry(name, Buffer.from(SH), '0', { 100: '0000755\0' }));
      const [m] = attachedFile('invoice.tar', tar, 'application/x-tar');
      expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
    });
  }

  it('still delivers a hidden executable file and one an app opens by its extension', async () => {
    for (const name of ['.hidden', 'docs/Invoice.pdf/.']) {
      const [m] = attachedFile('ok.zip', zipFile([{ name, data: SH, unixMode: 0o755 }]), 'application/zip');
      expect((await kit.inbound(m)).verdict, name).toBe('DEFAULT');
    }
  });
});
