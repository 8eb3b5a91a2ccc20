import { describe, expect, it } from 'vitest';
import { rar4WithCrc, rar5Header, rarVint } from '../testing/rar.js';
import { zipFile } from '../testing/zip.js';
import { listArchive } from './archive-files.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-96', 'latin1'), Buffer.alloc(64)]);

function header5(type: 2 | 3, name: string, data: Buffer, extra: readonly number[] = []): Buffer {
  const n = [...Buffer.from(name, 'latin1')];
  const flags = 0x2 | (extra.length ? 0x1 : 0);
  const fields = [type, flags, ...(extra.length ? rarVint(extra.length) : []), ...rarVint(data.length), 0];
  return Buffer.concat([
    rar5Header([...fields, ...rarVint(data.length), 0, 0, 0, n.length, ...n, ...extra]),
    data,
  ]);
}
/** RAR 5: `CV.pdf`, then an `STM` header whose service data record holds `stream` (`short`: written one byte short). */
function rar5(stream: Buffer, data: Buffer, short = false): Buffer {
  const record = [...rarVint(stream.length + (short ? 0 : 1)), 7, ...stream];
  return Buffer.concat([
    Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
    rar5Header([1, 0, 0]),
    header5(2, 'CV.pdf', PDF),
    header5(3, 'STM', data, record),
    rar5Header([5, 0, 0]),
  ]);
}
function header4(type: number, name: string, data: Buffer, sub = Buffer.alloc(0)): Buffer {
  const n = Buffer.from(name, 'latin1');
  const head = Buffer.alloc(32 + n.length + sub.length);
  head.writeUInt8(type, 2);
  head.writeUInt16LE(0x8000, 3);
  head.writeUInt16LE(head.length, 5);
  head.writeUInt32LE(data.length, 7);
  head.writeUInt32LE(data.length, 11);
  head.writeUInt8(2, 15);
  head.writeUInt8(29, 24);
  head.writeUInt8(0x30, 25);
  head.writeUInt16LE(n.length, 26);
  head.writeUInt32LE(0x20, 28);
  n.copy(head, 32);
  sub.copy(head, 32 + n.length);
  return Buffer.concat([rar4WithCrc(head), data]);
}
/** RAR 2.x's stream block (SUB_HEAD type 0x103) naming `stream`. */
function oldStream(stream: string): Buffer {
  const name = Buffer.from(stream, 'latin1');
  const head = Buffer.alloc(26 + name.length);
  head.writeUInt8(0x77, 2);
  head.writeUInt16LE(head.length, 5);
  head.writeUInt16LE(0x103, 11);
  head.writeUInt16LE(name.length, 24);
  name.copy(head, 26);
  return rar4WithCrc(head);
}
function rar4(...blocks: Buffer[]): Buffer {
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
    ...blocks,
    rar4WithCrc(end),
  ]);
}
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('A96: RAR NTFS streams', () => {
  it('RAR 5: lists a stream under its file and refuses one whose name is a path', () => {
    const files = listArchive(rar5(utf8(':..\\..\\Startup\\update.bat'), PDF), 'rar');
    expect(files.names).toContain('CV.pdf:..\\..\\Startup\\update.bat');
    expect(files.unreadable).toMatch(/CVE-2025-8088/);
  });
  it('RAR 5: a stream name written one byte short (rar 5.21 and older) is read whole', () => {
    const files = listArchive(rar5(utf8(':../Startup/update.lnk'), PDF, true), 'rar');
    expect(files.names).toContain('CV.pdf:../Startup/update.lnk');
    expect(files.unreadable).toMatch(/CVE-2025-8088/);
  });
  it('RAR 5: a separator spelt as an overlong UTF-8 form makes the archive unlisted', () => {
    const name = Buffer.concat([utf8(':..'), Buffer.from([0xc1, 0x9c]), utf8('update.bat')]);
    expect(listArchive(rar5(name, PDF), 'rar').unreadable).toMatch(/overlong/);
  });
  it('RAR 5: a stored stream is sniffed as a file is', () => {
    const files = listArchive(rar5(utf8(':payload'), MZ), 'rar');
    expect(files.names).toContain('CV.pdf:payload');
    expect(files.sniffedTypes).toContain('application/x-msdownload');
  });
  it('RAR 4: an STM service header names its stream in UTF-16LE', () => {
    const sub = Buffer.from(':..\\..\\Startup\\update.bat', 'utf16le');
    const files = listArchive(rar4(header4(0x74, 'CV.pdf', PDF), header4(0x7a, 'STM', PDF, sub)), 'rar');
    expect(files.names).toContain('CV.pdf:..\\..\\Startup\\update.bat');
    expect(files.unreadable).toMatch(/CVE-2025-8088/);
  });
  it("RAR 2.x: a stream block's name is read too", () => {
    const files = listArchive(rar4(header4(0x74, 'CV.pdf', PDF), oldStream(':..\\..\\x.bat')), 'rar');
    expect(files.names).toContain('CV.pdf:..\\..\\x.bat');
    expect(files.unreadable).toMatch(/CVE-2025-8088/);
  });
  it('(control) a Zone.Identifier stream is listed and the archive read whole', () => {
    const zone = Buffer.from('[ZoneTransfer]\r\nZoneId=3\r\n', 'latin1');
    for (const rar of [
      rar5(utf8(':Zone.Identifier'), zone),
      rar4(
        header4(0x74, 'CV.pdf', PDF),
        header4(0x7a, 'STM', zone, Buffer.from(':Zone.Identifier', 'utf16le')),
      ),
    ]) {
      const files = listArchive(rar, 'rar');
      expect(files.names).toEqual(['CV.pdf', 'CV.pdf:Zone.Identifier']);
      expect(files.unreadable).toBeUndefined();
    }
  });
  it('(control) other service headers (a comment) hold no file', () => {
    const rar = Buffer.concat([
      Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
      rar5Header([1, 0, 0]),
      header5(2, 'CV.pdf', PDF),
      header5(3, 'CMT', utf8('Scanned documents')),
      rar5Header([5, 0, 0]),
    ]);
    const files = listArchive(rar, 'rar');
    expect(files.names).toEqual(['CV.pdf']);
    expect(files.unreadable).toBeUndefined();
  });
  it('a path with a `..` segment (`.. ` as Windows reads it) makes a zip or a RAR unlisted; other dots do not', () => {
    const startup = 'AppData/Roaming/Microsoft/Word/STARTUP/CV.dotm';
    for (const path of [
      `../../${startup}`,
      `.. /.. /${startup}`,
      `docs\\..\\..\\${startup}`,
      `.../${startup}`,
    ]) {
      const files = listArchive(zipFile([{ name: path, data: PDF }]), 'zip');
      expect(files.unreadable, path).toMatch(/leaves the folder/);
    }
    const rar = rar4(header4(0x74, `..\\${startup.replace(/\//g, '\\')}`, PDF));
    expect(listArchive(rar, 'rar').unreadable).toMatch(/leaves the folder/);
    const fine = zipFile(
      ['./a.pdf', '..docs/b..pdf', 'v2..final/c.pdf', ' ../d.pdf'].map((name) => ({ name, data: PDF })),
    );
    expect(listArchive(fine, 'zip').unreadable).toBeUndefined();
  });
  it('lists the files after a `..` path all the same, so a blocked name among them still counts', () => {
    const files = listArchive(
      zipFile([
        { name: '../notes.txt', data: 'hello' },
        { name: 'invoice.exe', data: PDF },
      ]),
      'zip',
    );
    expect(files.unreadable).toMatch(/leaves the folder/);
    expect(files.names).toEqual(['../notes.txt', 'invoice.exe']);
  });
  it('lists the files after a stream whose name is a path all the same (RAR 5 and 4)', () => {
    const stream = ':..\\..\\Startup\\update.bat';
    const record = [...rarVint(Buffer.byteLength(stream) + 1), 7, ...utf8(stream)];
    const five = Buffer.concat([
      Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
      rar5Header([1, 0, 0]),
      header5(2, 'CV.pdf', PDF),
      header5(3, 'STM', PDF, record),
      header5(2, 'invoice.exe', MZ),
      rar5Header([5, 0, 0]),
    ]);
    const four = rar4(
      header4(0x74, 'CV.pdf', PDF),
      header4(0x7a, 'STM', PDF, Buffer.from(stream, 'utf16le')),
      header4(0x74, 'invoice.exe', MZ),
    );
    for (const rar of [five, four]) {
      const files = listArchive(rar, 'rar');
      expect(files.unreadable).toMatch(/CVE-2025-8088/);
      expect(files.names).toContain('invoice.exe');
    }
  });
});
