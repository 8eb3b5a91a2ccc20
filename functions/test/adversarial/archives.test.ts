import { tarArchive, tarEntry, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// The most common way malware arrives: an executable or script inside a zip. The guard lists the files of
// every zip (by its bytes, whatever its name or type, nested ones too) and refuses what it would refuse loose.

const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);

/** A message with `zip` attached under `name` (base64), and the bytes that must never be delivered. */
const zipped = (name: string, zip: Buffer, type = 'application/zip') => attachedFile(name, zip, type);

const ARCHIVES: Record<string, [Buffer, string]> = {
  'a zip holding invoice.exe': zipped('invoice.zip', zipFile([{ name: 'invoice.exe', data: MZ }])),
  'a zip holding a script in a folder': zipped(
    'docs.zip',
    zipFile([{ name: 'docs/Payment Details.js', data: 'WScript.Echo("zip-js")' }]),
  ),
  'a zip holding an executable named .pdf': zipped('scan.zip', zipFile([{ name: 'scan.pdf', data: MZ }])),
  'a zip inside a zip holding a .vbs': zipped(
    'outer.zip',
    zipFile([{ name: 'inner.zip', data: zipFile([{ name: 'x.vbs', data: 'MsgBox "nested-zip"' }]) }]),
  ),
  'a zip sent as invoice.pdf (application/pdf) holding a .lnk': zipped(
    'invoice.pdf',
    zipFile([{ name: 'invoice.lnk', data: 'L\x00\x00\x00' }]),
    'application/pdf',
  ),
  'a zip holding an HTML smuggling page': zipped(
    'statement.zip',
    zipFile([{ name: 'statement.html', data: '<script>/*zip-page*/location="data:x"</script>' }]),
  ),
  'a zip behind other bytes, named .zip (7-Zip opens it)': zipped(
    'invoice.zip',
    Buffer.concat([
      Buffer.from('%PDF-1.7 junk before the archive\n'),
      zipFile([{ name: 'invoice.exe', data: MZ }]),
    ]),
  ),
  'a password-protected zip (its content cannot be read)': zipped(
    'secure.zip',
    zipFile([{ name: 'statement.pdf', data: MZ, encrypted: true }]),
  ),
  'a damaged zip (its files cannot be listed)': zipped(
    'broken.zip',
    zipFile([{ name: 'a.txt', data: 'x'.repeat(500), method: 0 }]).subarray(0, 200),
  ),
};

describe('zip archives through the guard at its defaults', () => {
  attachmentTests(kit, ARCHIVES);

  it('delivers zips of documents, and Office files (zips themselves)', async () => {
    const reports = zipFile([
      { name: 'q3/report.csv', data: 'a,b\n1,2\n' },
      { name: 'q3/chart.png', data: Buffer.from('\x89PNG\r\n\x1a\n', 'latin1') },
    ]);
    expect((await kit.inbound(zipped('q3.zip', reports)[0])).verdict).toBe('DEFAULT');
    const docx = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    const type = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect((await kit.inbound(zipped('letter.docx', docx, type)[0])).verdict).toBe('DEFAULT');
  });

  it('BLOCK_ARCHIVES=true refuses an archive by its bytes whatever its name, and still delivers Office files', async () => {
    const tar = tarArchive(tarEntry('notes.txt', Buffer.from('hello')));
    const strict = { BLOCK_ARCHIVES: 'true' };
    const [renamed] = attachedFile('report.dat', tar, 'application/octet-stream');
    expect((await kit.inbound(renamed)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(renamed, strict)).verdict).toBe('BOUNCE');
    const docx = zipFile([{ name: 'word/document.xml', data: '<w:document/>' }]);
    const type = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect((await kit.inbound(zipped('letter.docx', docx, type)[0], strict)).verdict).toBe('DEFAULT');
  });

  it('strips a zip it cannot read and delivers the rest (ATTACHMENT_ACTION=strip)', async () => {
    for (const name of [
      'a password-protected zip (its content cannot be read)',
      'a damaged zip (its files cannot be listed)',
    ]) {
      const [message, payload] = ARCHIVES[name] as [Buffer, string];
      const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
      expect([name, verdict]).toEqual([name, 'DEFAULT']);
      expect(delivered.toString('latin1')).not.toContain(payload);
      expect(delivered.toString('latin1')).toContain('hello');
      await expectStripped(message, delivered);
    }
  });

  it('ALLOW_ENCRYPTED_ARCHIVES delivers password-protected zips, and still checks their file names', async () => {
    const env = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
    const statement = zipped('secure.zip', zipFile([{ name: 'statement.pdf', data: MZ, encrypted: true }]));
    expect((await kit.inbound(statement[0], env)).verdict).toBe('DEFAULT');
    const exe = zipped('secure.zip', zipFile([{ name: 'statement.exe', data: MZ, encrypted: true }]));
    expect((await kit.inbound(exe[0], env)).verdict).toBe('BOUNCE');
  });
});
