import { describe, expect, it } from 'vitest';
import { rar5Header, rarFile, rarVint } from '../testing/rar.js';
import { listArchive } from './archive-files.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-86', 'latin1'), Buffer.alloc(100)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

// CRC32 of the size and the rest, then the size as a vint and the fields (a RAR 5 header, and a quick-open record).
function fileHeader(name: string, size: number): Buffer {
  const n = [...Buffer.from(name, 'utf8')];
  return rar5Header([2, 0x2, ...rarVint(size), 0, ...rarVint(size), 0x20, 0, 0, n.length, ...n]);
}
function serviceHeader(name: string, data: Buffer, extra: readonly number[] = []): Buffer {
  const n = [...Buffer.from(name, 'latin1')];
  const flags = 0x2 | (extra.length ? 0x1 : 0);
  const fields = [3, flags, ...(extra.length ? rarVint(extra.length) : []), ...rarVint(data.length), 0];
  return Buffer.concat([
    rar5Header([...fields, ...rarVint(data.length), 0, 0, 0, n.length, ...n, ...extra]),
    data,
  ]);
}
function mainHeader(qoOffset: number | undefined): Buffer {
  if (qoOffset === undefined) return rar5Header([1, 0, 0]);
  // Extra area: a locator record (type 1), flags 1 (a quick-open offset follows), the offset.
  const record = [1, 1, ...rarVint(qoOffset)];
  const extra = [...rarVint(record.length), ...record];
  return rar5Header([1, 0x1, ...rarVint(extra.length), 0, ...extra]);
}

interface Cached {
  /** The header bytes the cache holds. */
  header: Buffer;
  /** Which file header it stands for (its index), or a position counted from the archive's start. */
  of: number | { at: number };
}

/**
 * A RAR 5 archive of stored files and a quick-open record (header and data) after them whose copies are
 * `cached(headers)`.
 * `locator: false` writes the record without the archive header pointing to it.
 */
function quickOpenRar(
  files: readonly { name: string; data: Buffer }[],
  cached: (headers: readonly Buffer[]) => readonly Cached[],
  options: { locator?: boolean; corrupt?: boolean; encrypted?: boolean } = {},
): Buffer {
  const sig = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
  const headers = files.map((f) => fileHeader(f.name, f.data.length));
  let offset = 0;
  for (;;) {
    const main = mainHeader(options.locator === false ? undefined : offset);
    const starts: number[] = [];
    let p = sig.length + main.length;
    for (const [i, h] of headers.entries()) {
      starts.push(p);
      p += h.length + (files[i] as { data: Buffer }).data.length;
    }
    const qoAt = p;
    const records = cached(headers).map((c) => {
      const at = typeof c.of === 'number' ? (starts[c.of] as number) : c.of.at;
      const r = rar5Header([0, ...rarVint(qoAt - at), ...rarVint(c.header.length), ...c.header]);
      if (options.corrupt) r[r.length - 1] = (r[r.length - 1] as number) ^ 0xff;
      return r;
    });
    const extra = options.encrypted ? [...rarVint(36), 1, 0, 0, 15, ...Array<number>(32).fill(9)] : [];
    const qo = serviceHeader('QO', Buffer.concat(records), extra);
    const wanted = qoAt - sig.length;
    if (options.locator !== false && wanted !== offset) {
      offset = wanted;
      continue;
    }
    const body = files.flatMap((f, i) => [headers[i] as Buffer, f.data]);
    return Buffer.concat([sig, main, ...body, qo, rar5Header([5, 0, 0])]);
  }
}

describe('A86-1: a RAR 5 quick-open record that names a file otherwise than its header', () => {
  it('refuses a cached copy naming invoice.exe over the header naming invoice.pdf (unrar extracts invoice.exe)', () => {
    const rar = quickOpenRar([{ name: 'invoice.pdf', data: MZ }], () => [
      { header: fileHeader('invoice.exe', MZ.length), of: 0 },
    ]);
    expect(listArchive(rar, 'rar').unreadable).toMatch(/quick-open/);
  });

  it('refuses a cached copy of the second file that renames it to a script', () => {
    const rar = quickOpenRar(
      [
        { name: 'report.pdf', data: PDF },
        { name: 'notes.txt', data: Buffer.from('WScript.Echo(1)') },
      ],
      (h) => [
        { header: h[0] as Buffer, of: 0 },
        { header: fileHeader('notes.js', 15), of: 1 },
      ],
    );
    expect(listArchive(rar, 'rar').unreadable).toMatch(/quick-open/);
  });

  it('refuses a cached copy that sizes the data otherwise (it moves where unrar reads the next header)', () => {
    const rar = quickOpenRar([{ name: 'report.pdf', data: PDF }], () => [
      { header: fileHeader('report.pdf', PDF.length - 8), of: 0 },
    ]);
    expect(listArchive(rar, 'rar').unreadable).toMatch(/quick-open/);
  });

  it("refuses a cached copy placed where the archive holds no header (inside a file's data)", () => {
    const rar = quickOpenRar([{ name: 'report.pdf', data: Buffer.concat([PDF, Buffer.alloc(200)]) }], () => [
      { header: fileHeader('invoice.exe', 10), of: { at: 8 + 3 + 30 } },
    ]);
    expect(listArchive(rar, 'rar').unreadable).toMatch(/quick-open/);
  });

  it('refuses a renaming copy when a later archive header carries no locator (unrar has loaded the first one)', () => {
    const rar = quickOpenRar([{ name: 'invoice.pdf', data: MZ }], () => [
      { header: fileHeader('invoice.exe', MZ.length), of: 0 },
    ]);
    const end = rar5Header([5, 0, 0]);
    const twoMains = Buffer.concat([rar.subarray(0, rar.length - end.length), mainHeader(undefined), end]);
    expect(listArchive(twoMains, 'rar').unreadable).toMatch(/quick-open/);
  });

  it('refuses a quick-open record whose copies cannot be read (a record CRC that fails, or encrypted)', () => {
    const files = [{ name: 'report.pdf', data: PDF }];
    const same = (h: readonly Buffer[]) => [{ header: h[0] as Buffer, of: 0 }];
    expect(listArchive(quickOpenRar(files, same, { corrupt: true }), 'rar').unreadable).toMatch(/quick-open/);
    expect(listArchive(quickOpenRar(files, same, { encrypted: true }), 'rar').unreadable).toMatch(
      /quick-open/,
    );
  });

  it('(control) lists an archive whose quick-open copies are the headers themselves, as WinRAR writes them', () => {
    const rar = quickOpenRar(
      [
        { name: 'report.pdf', data: PDF },
        { name: 'notes.txt', data: Buffer.from('total 10\r\n') },
      ],
      (h) => [
        { header: h[0] as Buffer, of: 0 },
        { header: h[1] as Buffer, of: 1 },
      ],
    );
    const listed = listArchive(rar, 'rar');
    expect(listed.unreadable).toBeUndefined();
    expect(listed.names).toEqual(['report.pdf', 'notes.txt']);
  });

  it('(control) lists a quick-open record no locator points to (unrar never reads it) and a plain RAR 5', () => {
    const rar = quickOpenRar(
      [{ name: 'report.pdf', data: PDF }],
      () => [{ header: fileHeader('invoice.exe', PDF.length), of: 0 }],
      { locator: false },
    );
    expect(listArchive(rar, 'rar').names).toEqual(['report.pdf']);
    expect(listArchive(rarFile([{ name: 'report.pdf', data: PDF }], { version: 5 }), 'rar').names).toEqual([
      'report.pdf',
    ]);
  });
});
