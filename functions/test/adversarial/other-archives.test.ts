import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rarFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Archives beyond zip: RAR, 7z, tar, gzip, bzip2, xz, zstd, CAB, ACE, ARJ, LHA. Each was delivered at the
// defaults while only zips were listed ("invoice.rar" holding "invoice.exe"). The guard now lists what it can
// read and refuses an archive it cannot list. Fixtures in samples/archives were made with 7-Zip, GNU tar,
// gzip, bzip2, xz, zstd and gcab; RAR cannot be made with free tools, so rarFile builds it per the format.

const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);
const fixture = (name: string) => readFileSync(new URL(`../../../samples/archives/${name}`, import.meta.url));
const sample = (name: string, type?: string) => attachedFile(name, fixture(name), type);
// Headers of formats that are recognised and not read: their first bytes only.
const ACE = Buffer.concat([Buffer.from('\x00\x00\x1f\x00\x00\x00\x80**ACE**', 'latin1'), Buffer.alloc(40)]);
const ARJ = Buffer.concat([Buffer.from('\x60\xea\x22\x00', 'latin1'), Buffer.alloc(60)]);
const LZH = Buffer.concat([Buffer.from('\x20\x00-lh5-', 'latin1'), Buffer.alloc(60)]);

const BYPASSES: Record<string, [Buffer, string]> = {
  'a RAR 4 holding invoice.exe': attachedFile('invoice.rar', rarFile([{ name: 'invoice.exe', data: MZ }])),
  'a RAR 5 holding invoice.exe': attachedFile(
    'invoice.rar',
    rarFile([{ name: 'invoice.exe', data: MZ }], { version: 5 }),
  ),
  'a RAR 5 holding an executable named .pdf': attachedFile(
    'scan.rar',
    rarFile([{ name: 'scan.pdf', data: MZ }], { version: 5 }),
  ),
  'a RAR sent as invoice.pdf (application/pdf) holding a .js': attachedFile(
    'invoice.pdf',
    rarFile([{ name: 'pay.js', data: 'WScript.Echo(1)' }]),
    'application/pdf',
  ),
  'a RAR with encrypted headers (no file can be named)': attachedFile(
    'secure.rar',
    rarFile([{ name: 'invoice.exe', data: MZ }], { version: 5, encryptedHeaders: true }),
  ),
  'a .rar that is no RAR': attachedFile('invoice.rar', Buffer.from('%PDF-1.7 not a rar')),
  'a 7z holding invoice.exe': sample('invoice.7z'),
  "a 7z (7-Zip's default LZMA header) holding invoice.exe": sample('docs.7z'),
  'a 7z (LZMA header) holding 300 reports and a setup.exe': sample('many.7z'),
  'a 7z with an encrypted header': sample('hidden.7z'),
  'a tar holding invoice.exe': sample('invoice.tar'),
  'a tar holding an .exe under a GNU long name': sample('long-gnu.tar'),
  'a tar holding an .exe under a pax path': sample('long-pax.tar'),
  'a .tgz holding invoice.exe': sample('invoice.tgz'),
  'invoice.exe.gz': sample('invoice.exe.gz'),
  'a gzip without a name holding an executable (data.bin)': attachedFile('data.bin', fixture('noname.gz')),
  'invoice.exe.bz2': sample('invoice.exe.bz2'),
  'invoice.exe.xz': sample('invoice.exe.xz'),
  'a .bz2 named invoice.txt.bz2 by its type and invoice.exe.bz2 by its disposition': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/x-bzip2; name="invoice.txt.bz2"\r\nContent-Disposition: attachment; filename="invoice.exe.bz2"\r\nContent-Transfer-Encoding: base64\r\n\r\n${fixture('invoice.exe.bz2').toString('base64')}`,
      ),
    ),
    fixture('invoice.exe.bz2').toString('base64').slice(0, 40),
  ],
  'invoice.exe.zst': sample('invoice.exe.zst'),
  'a CAB holding invoice.exe': sample('invoice.cab'),
  'a CAB (MSZIP) holding invoice.exe': sample('invoice-mszip.cab'),
  'an ACE archive': attachedFile('invoice.ace', ACE),
  'an ARJ archive': attachedFile('invoice.arj', ARJ),
  'an LHA archive named .dat': attachedFile('invoice.dat', LZH),
  'a zip holding a RAR holding invoice.exe': attachedFile(
    'outer.zip',
    zipFile([{ name: 'inner.rar', data: rarFile([{ name: 'invoice.exe', data: MZ }]) }]),
  ),
  'a tar holding a zip holding a .vbs': attachedFile(
    'bundle.tar',
    tarArchive(
      tarEntry('inner.zip', zipFile([{ name: 'x.vbs', data: 'MsgBox "tar-zip"' }]), '0', USTAR_MAGIC),
    ),
  ),
};

describe('archives beyond zip through the guard at its defaults', () => {
  attachmentTests(kit, BYPASSES);

  it('delivers archives of documents it can list: tar, CAB, 7z (plain and LZMA header), RAR, gzip', async () => {
    const documents = [
      sample('report.tar'),
      sample('report.cab'),
      sample('report-plain.7z'),
      sample('report.7z'),
      attachedFile('q3.rar', rarFile([{ name: 'q3/report.pdf', data: '%PDF-1.7' }], { version: 5 })),
      attachedFile('notes.txt.gz', gzipSync('minutes of the meeting')),
    ];
    const verdicts = [];
    for (const [message] of documents) verdicts.push((await kit.inbound(message)).verdict);
    expect(verdicts).toEqual(documents.map(() => 'DEFAULT'));
  });

  it('ALLOW_UNLISTED_ARCHIVES delivers what it cannot list, and still checks the names it could read', async () => {
    const env = { ALLOW_UNLISTED_ARCHIVES: 'true' };
    for (const name of [
      'a 7z with an encrypted header',
      'a RAR with encrypted headers (no file can be named)',
      'an ACE archive',
    ]) {
      const [message] = BYPASSES[name] as [Buffer, string];
      expect([name, (await kit.inbound(message, env)).verdict]).toEqual([name, 'DEFAULT']);
    }
    const [exe] = BYPASSES['a RAR 5 holding invoice.exe'] as [Buffer, string];
    expect((await kit.inbound(exe, env)).verdict).toBe('BOUNCE');
  });

  it('ALLOW_ENCRYPTED_ARCHIVES delivers a RAR of encrypted files it could name, never one whose names are hidden', async () => {
    const env = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
    const named = rarFile([{ name: 'statement.pdf', data: MZ, encrypted: true }], { version: 5 });
    expect((await kit.inbound(attachedFile('secure.rar', named)[0], env)).verdict).toBe('DEFAULT');
    const exe = rarFile([{ name: 'statement.exe', data: MZ, encrypted: true }]);
    expect((await kit.inbound(attachedFile('secure.rar', exe)[0], env)).verdict).toBe('BOUNCE');
    const [hidden] = BYPASSES['a RAR with encrypted headers (no file can be named)'] as [Buffer, string];
    expect((await kit.inbound(hidden, env)).verdict).toBe('BOUNCE');
    expect((await kit.inbound(sample('locked-plain.7z')[0], env)).verdict).toBe('BOUNCE');
    // 7-Zip's default with a password: the header is compressed, not encrypted, so the names are checked.
    expect((await kit.inbound(sample('locked.7z')[0], env)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(sample('hidden.7z')[0], env)).verdict).toBe('BOUNCE');
  });
});
