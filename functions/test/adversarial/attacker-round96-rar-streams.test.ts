import { crc32 } from 'node:zlib';
import { rar4WithCrc, rar5Header, rarFile, rarVint, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 96: a RAR archive whose file carries an NTFS alternate data stream (a service header named `STM`,
// in RAR 5 and RAR 4 alike) whose stream name leaves the file: `:..\..\..\AppData\Roaming\Microsoft\Windows\Start
// Menu\Programs\Startup\update.bat`. WinRAR, rar, UnRAR and UnRAR.dll before 7.13 append the stream name to the
// extracted file's path and write the stream there (CVE-2025-8088, exploited by mail since July 2025 by RomCom and
// others): extracting `CV.pdf` writes a script into the Startup folder, which runs at the next logon. The guard
// listed the archive's file headers only (service headers were skipped), so it saw `CV.pdf` and delivered it.
const stack = useLocalStack();
const kit = attackerKit(stack);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const BAT = Buffer.from('@echo off\r\nrem wmflow-96-1\r\nstart calc.exe\r\n', 'latin1');
const STARTUP = '..\\..\\..\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\';

/** A RAR 5 file or service header (type 2 or 3) with its data; `compression` 0 stored, 0x180 compressed. */
function header5(type: 2 | 3, name: string, data: Buffer, extra: number[] = [], compression = 0): Buffer {
  const n = [...Buffer.from(name, 'utf8')];
  const flags = 0x2 | (extra.length ? 0x1 : 0);
  const head = rar5Header([
    type,
    flags,
    ...(extra.length ? rarVint(extra.length) : []),
    ...rarVint(data.length),
    0,
    ...rarVint(data.length),
    type === 2 ? 0x20 : 0,
    ...rarVint(compression),
    0,
    ...rarVint(n.length),
    ...n,
    ...extra,
  ]);
  return Buffer.concat([head, data]);
}
/** A RAR 5 service data record (type 7) holding `bytes`, as rar writes the stream name of an `STM` header. */
function subData(bytes: Buffer): number[] {
  return [...rarVint(bytes.length + 1), 7, ...bytes];
}

/**
 * A RAR 5 archive of `file` (stored) followed by an NTFS stream of it named `stream` (RAR 5 writes it UTF-8, with
 * its leading colon), holding `data`.
 */
function streamRar5(
  file: string,
  stream: string,
  data: Buffer,
  options: { compression?: number; service?: string } = {},
): Buffer {
  return Buffer.concat([
    Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
    rar5Header([1, 0, 0]),
    header5(2, file, PDF),
    header5(
      3,
      options.service ?? 'STM',
      data,
      subData(Buffer.from(stream, 'utf8')),
      options.compression ?? 0,
    ),
    rar5Header([5, 0, 0]),
  ]);
}

/** A RAR 4 file (0x74) or service (0x7a) header: a FILE_HEAD layout, `sub` the bytes after the name. */
function header4(type: 0x74 | 0x7a, name: string, data: Buffer, sub = Buffer.alloc(0)): Buffer {
  const n = Buffer.from(name, 'latin1');
  const head = Buffer.alloc(32 + n.length + sub.length);
  head.writeUInt8(type, 2);
  head.writeUInt16LE(0x8000, 3);
  head.writeUInt16LE(head.length, 5);
  head.writeUInt32LE(data.length, 7);
  head.writeUInt32LE(data.length, 11);
  head.writeUInt8(2, 15);
  head.writeUInt32LE(crc32(data), 16);
  head.writeUInt8(29, 24);
  head.writeUInt8(0x30, 25);
  head.writeUInt16LE(n.length, 26);
  head.writeUInt32LE(0x20, 28);
  n.copy(head, 32);
  sub.copy(head, 32 + n.length);
  return Buffer.concat([rar4WithCrc(head), data]);
}
/** A RAR 4 archive of `file` and an `STM` service header naming its stream `stream` (UTF-16LE, as RAR 4 writes it). */
function streamRar4(file: string, stream: string, data: Buffer): Buffer {
  const main = Buffer.alloc(13);
  main.writeUInt8(0x73, 2);
  main.writeUInt16LE(13, 5);
  const end = Buffer.alloc(7);
  end.writeUInt8(0x7b, 2);
  end.writeUInt16LE(0x4000, 3);
  end.writeUInt16LE(7, 5);
  return Buffer.concat([
    Buffer.from('Rar!\x1a\x07\x00', 'latin1'),
    rar4WithCrc(main),
    header4(0x74, file, PDF),
    header4(0x7a, 'STM', data, Buffer.from(stream, 'utf16le')),
    rar4WithCrc(end),
  ]);
}

describe('A96-1: a RAR NTFS stream whose name leaves its file (CVE-2025-8088)', () => {
  attachmentTests(kit, {
    'RAR 5: CV.pdf with a stream written to the Startup folder as update.bat': attachedFile(
      'CV.rar',
      streamRar5('CV.pdf', `:${STARTUP}update.bat`, BAT),
    ),
    'RAR 5: the same stream compressed (named, not read)': attachedFile(
      'CV.rar',
      streamRar5('CV.pdf', `:${STARTUP}update.bat`, BAT, { compression: 0x180 }),
    ),
    'RAR 5: a stream written as a shortcut (.lnk) with forward slashes': attachedFile(
      'CV.rar',
      streamRar5('CV.pdf', `:${STARTUP.replace(/\\/g, '/')}update.lnk`, BAT),
    ),
    // Word runs the macros of the Normal template at every start; `.dotm` is no blocked extension.
    'RAR 5: a stream that replaces the Word Normal template (no blocked extension)': attachedFile(
      'CV.rar',
      streamRar5('CV.pdf', ':..\\..\\..\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm', PDF),
    ),
    'RAR 4: CV.pdf with a stream written to the Startup folder (UTF-16 stream name)': attachedFile(
      'CV.rar',
      streamRar4('CV.pdf', `:${STARTUP}update.bat`, BAT),
    ),
    'RAR 5 inside a zip': attachedFile(
      'CV.zip',
      zipFile([{ name: 'CV.rar', data: streamRar5('CV.pdf', `:${STARTUP}update.cmd`, BAT) }]),
    ),
    // A plain alternate stream is written beside its file; named after a blocked file it is refused as one.
    'RAR 5: a stream named payload.exe beside CV.pdf': attachedFile(
      'CV.rar',
      streamRar5('CV.pdf', ':payload.exe', BAT),
    ),
  });

  it('refuses the traversal even with ALLOW_UNLISTED_ARCHIVES when its target is a blocked file', async () => {
    const [message] = attachedFile('CV.rar', streamRar5('CV.pdf', `:${STARTUP}update.bat`, BAT));
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('BOUNCE');
  });

  it('(held before) a RAR 5 file header named with a traversal to a .bat is refused by its extension', async () => {
    const [message] = attachedFile(
      'CV.rar',
      rarFile([{ name: `${STARTUP.replace(/\\/g, '/')}update.bat`, data: BAT }], { version: 5 }),
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });

  it('(control) delivers a RAR 5 whose file keeps its Zone.Identifier stream (rar -os)', async () => {
    const zone = Buffer.from('[ZoneTransfer]\r\nZoneId=3\r\n', 'latin1');
    const [message] = attachedFile('CV.rar', streamRar5('CV.pdf', ':Zone.Identifier', zone));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a RAR 4 whose file keeps its Zone.Identifier stream', async () => {
    const zone = Buffer.from('[ZoneTransfer]\r\nZoneId=3\r\n', 'latin1');
    const [message] = attachedFile('CV.rar', streamRar4('CV.pdf', ':Zone.Identifier', zone));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a RAR 5 with an archive comment (a CMT service header)', async () => {
    const comment = Buffer.from('Scanned documents, December 2026', 'utf8');
    const [message] = attachedFile('docs.rar', streamRar5('CV.pdf', '', comment, { service: 'CMT' }));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers plain RAR 4 and RAR 5 archives of a PDF', async () => {
    for (const version of [4, 5] as const) {
      const [message] = attachedFile('CV.rar', rarFile([{ name: 'CV.pdf', data: PDF }], { version }));
      expect((await kit.inbound(message)).verdict, `RAR ${version}`).toBe('DEFAULT');
    }
  });
});

// A96-2: the same escape through a file's own path. WinRAR before 7.12 (CVE-2025-6218) followed `..` in a path, read
// as Windows reads a segment (trailing spaces and dots dropped: `.. ` is `..`); a template put in Word's STARTUP folder
// (a trusted location) has its macros run at Word's next start, and `.dotm` is no blocked extension.
const WORD_STARTUP = 'AppData/Roaming/Microsoft/Word/STARTUP/CV.dotm';
describe('A96-2: an archive path that leaves the extraction folder', () => {
  attachmentTests(kit, {
    'RAR 5: a file named `.. /.. /…/Word/STARTUP/CV.dotm`': attachedFile(
      'CV.rar',
      rarFile([{ name: `.. /.. /.. /${WORD_STARTUP}`, data: PDF }], { version: 5 }),
    ),
    'RAR 4: a file named `..\\..\\…\\Word\\STARTUP\\CV.dotm`': attachedFile(
      'CV.rar',
      rarFile([{ name: `..\\..\\..\\${WORD_STARTUP.replace(/\//g, '\\')}`, data: PDF }]),
    ),
    'zip: a file named `../../…/Word/STARTUP/CV.dotm`': attachedFile(
      'CV.zip',
      zipFile([
        { name: 'CV.pdf', data: PDF },
        { name: `../../../${WORD_STARTUP}`, data: PDF },
      ]),
    ),
  });

  it('(control) delivers archives whose names hold dots that are no parent folder', async () => {
    const [message] = attachedFile(
      'docs.zip',
      zipFile([
        { name: './docs/CV.pdf', data: PDF },
        { name: '..docs/notes..pdf', data: PDF },
        { name: 'v2..final/report.pdf', data: PDF },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
