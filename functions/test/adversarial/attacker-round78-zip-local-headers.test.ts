import { zipFile, zipUnlisted } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 78: a zip whose central directory leaves out a file that its local header still frames, right
// after a listed file or before the directory. Explorer, 7-Zip and Python list the directory (two CSVs); a
// streaming extractor walks the local headers one after the other and extracts the left-out `invoice.exe` too
// (checked with `jar xv < docs.zip`, Java's ZipInputStream). The guard listed the directory only and delivered it.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-78-1', 'latin1'), Buffer.alloc(100)]);
const CSV_A = { name: 'january.csv', data: 'date,amount\r\n2026-01-02,10\r\n' };
const CSV_B = { name: 'february.csv', data: 'date,amount\r\n2026-02-02,12\r\n' };
const three = (hidden: { name: string; data: Buffer | string }) => zipFile([CSV_A, hidden, CSV_B]);

describe('A78-1: a file framed by a local header the zip directory does not list', () => {
  attachmentTests(kit, {
    'an executable between two listed CSVs': attachedFile(
      'figures.zip',
      zipUnlisted(three({ name: 'invoice.exe', data: MZ }), [1]),
    ),
    'a script between two listed CSVs (caught by name only, once listed)': attachedFile(
      'figures.zip',
      zipUnlisted(three({ name: 'invoice.js', data: 'WScript.Echo("wmflow-78-1")' }), [1]),
    ),
    'an executable after the last listed file, before the directory': attachedFile(
      'figures.zip',
      zipUnlisted(zipFile([CSV_A, { name: 'invoice.exe', data: MZ, method: 0 }]), [1]),
    ),
    'a directory that lists nothing, over a framed executable': attachedFile(
      'figures.zip',
      zipUnlisted(zipFile([{ name: 'invoice.exe', data: MZ }]), [0]),
      'application/zip',
    ),
    'the same zip deflated inside a zip': attachedFile(
      'figures.zip',
      zipFile([{ name: 'inner.zip', data: zipUnlisted(three({ name: 'invoice.exe', data: MZ }), [1]) }]),
    ),
  });

  it('(control) delivers the whole zip of CSVs, stored or deflated', async () => {
    for (const method of [0, 8]) {
      const [message] = attachedFile(
        'figures.zip',
        zipFile([
          { ...CSV_A, method },
          { ...CSV_B, method },
        ]),
      );
      expect((await kit.inbound(message)).verdict, `method ${method}`).toBe('DEFAULT');
    }
  });
});

// A78-2: a directory entry whose bytes the walk never reads (a Unix symbolic link, `notes`, named neither as a page
// nor as an archive) had its local header unchecked: one naming `invoice.exe` over an executable was delivered, and
// a streaming extractor (which knows no mode: the mode is in the directory only) extracts `invoice.exe`, a regular
// file (checked with `jar xv`). Under ALLOW_ENCRYPTED_ARCHIVES, an entry the directory marks encrypted (`scan.pdf`,
// named only) whose local header names `scan.exe`, unencrypted, was delivered too.
const renamedLocal = (zip: Buffer, from: string, to: string): Buffer => {
  const out = Buffer.from(zip);
  out.write(to, out.indexOf(from, 0, 'latin1'), 'latin1');
  return out;
};
const linkZip = renamedLocal(
  zipFile([CSV_A, { name: 'notes', data: MZ, symlink: true, method: 0 }]),
  'notes',
  'a.exe',
);
const encryptedZip = renamedLocal(
  zipFile([CSV_A, { name: 'scan.pdf', data: MZ, encrypted: true, method: 0 }]),
  'scan.pdf',
  'scan.exe',
);
// Only the directory marks it encrypted: clear the bit in the local header (30 bytes before its name, flags at 6).
encryptedZip.writeUInt16LE(0, encryptedZip.indexOf('scan.exe', 0, 'latin1') - 30 + 6);

describe('A78-2: a local header that names a file the directory names otherwise, for entries never read', () => {
  attachmentTests(kit, {
    'a symbolic link `notes` whose local header frames `a.exe`': attachedFile('figures.zip', linkZip),
  });

  it('an encrypted `scan.pdf` whose local header frames an unencrypted `scan.exe` (ALLOW_ENCRYPTED_ARCHIVES)', async () => {
    const [message] = attachedFile('figures.zip', encryptedZip);
    expect((await kit.inbound(message, { ALLOW_ENCRYPTED_ARCHIVES: 'true' })).verdict).toBe('BOUNCE');
  });

  it('(control) delivers a zip with a symbolic link, and an encrypted zip under ALLOW_ENCRYPTED_ARCHIVES', async () => {
    const [link] = attachedFile(
      'figures.zip',
      zipFile([CSV_A, { name: 'notes', data: 'a.csv', symlink: true }]),
    );
    expect((await kit.inbound(link)).verdict).toBe('DEFAULT');
    const [locked] = attachedFile(
      'figures.zip',
      zipFile([{ name: 'scan.pdf', data: '%PDF-1.7', encrypted: true, method: 0 }]),
    );
    expect((await kit.inbound(locked, { ALLOW_ENCRYPTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
});

// A78-3: an entry with two Info-ZIP Unicode Path fields (0x7075) was listed under its header name and the first
// field's: `invoice.txt`. Info-ZIP's unzip reads every field and extracts under the last (`invoice.js`); a local
// header's field naming it otherwise than the directory's was not read at all.
const unicodePath = (path: string): Buffer => {
  const name = Buffer.from(path);
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field[4] = 1;
  return Buffer.concat([field, name]);
};
const SCRIPT = 'WScript.Echo("wmflow-78-3")';
const localRenamed = zipFile([{ name: 'invoice.txt', data: SCRIPT, extra: unicodePath('invoice.txt') }]);
localRenamed.write('invoice.js ', localRenamed.indexOf('invoice.txt', 40, 'latin1'), 'latin1');

describe('A78-3: Unicode Path names a reader extracts under and the walk did not read', () => {
  attachmentTests(kit, {
    'two Unicode Path fields, the last naming a script': attachedFile(
      'notes.zip',
      zipFile([
        {
          name: 'invoice.txt',
          data: SCRIPT,
          extra: Buffer.concat([unicodePath('invoice.txt'), unicodePath('invoice.js')]),
        },
      ]),
    ),
    "a local header's Unicode Path naming a script": attachedFile('notes.zip', localRenamed),
  });

  it('(control) delivers a file whose Unicode Path names it as its header does', async () => {
    const [message] = attachedFile(
      'notes.zip',
      zipFile([{ name: 'invoice.txt', data: 'notes', extra: unicodePath('invoice.txt') }]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
