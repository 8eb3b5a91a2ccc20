import { describe, expect, it } from 'vitest';
import { zipAfter as after, zipFile } from '../testing/zip.js';
import { eachZipEntry } from './zip-entries.js';

const END = 0x06054b50;

/** The names of a zip's entries, each read whole; or the error that stopped the walk. */
function read(zip: Buffer): string[] | string {
  const names: string[] = [];
  try {
    eachZipEntry(zip, 1 << 20, (entry) => {
      entry.bytes();
      names.push(entry.name);
    });
    return names;
  } catch (error) {
    return (error as Error).message;
  }
}

const endOf = (zip: Buffer) => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));

describe('eachZipEntry: a zip read as extractors read it, or not at all (attacker round 15)', () => {
  const exe = zipFile([{ name: 'Invoice.exe', data: 'MZ', method: 0 }]);
  const pdf = zipFile([{ name: 'Invoice.pdf', data: '%PDF-1.7', method: 0 }]);

  it('reads an archive whose directory ends at its end record', () => {
    expect(read(pdf)).toEqual(['Invoice.pdf']);
  });

  it('refuses a directory that does not end at the end record (libarchive reads the one that does)', () => {
    const end = endOf(pdf);
    const gap = Buffer.concat([pdf.subarray(0, end), Buffer.alloc(16), pdf.subarray(end)]);
    expect(read(gap)).toMatch(/does not end at the end record/);
  });

  it('reads the zip64 end record and locator a streaming writer puts there, when they describe the same directory', () => {
    const end = endOf(pdf);
    const offset = pdf.readUInt32LE(end + 16);
    const size = pdf.readUInt32LE(end + 12);
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(1n, 24);
    record.writeBigUInt64LE(1n, 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(end), 8);
    const streamed = Buffer.concat([pdf.subarray(0, end), record, locator, pdf.subarray(end)]);
    expect(read(streamed)).toEqual(['Invoice.pdf']);
    record.writeBigUInt64LE(BigInt(offset + 1), 48);
    const other = Buffer.concat([pdf.subarray(0, end), record, locator, pdf.subarray(end)]);
    expect(read(other)).toMatch(/does not end at the end record/);
  });

  it('refuses anything before the first listed file: a file only a local header names, or a first archive (7-Zip extracts them)', () => {
    const localOnly = exe.subarray(0, exe.readUInt32LE(endOf(exe) + 16));
    expect(read(after(localOnly, pdf))).toMatch(/data before the first file/);
    expect(read(after(Buffer.concat([exe, Buffer.alloc(70_000)]), pdf))).toMatch(
      /data before the first file/,
    );
  });

  it("refuses sizes in the local header other than the directory's (extractors take the local ones)", () => {
    const html = zipFile([{ name: 'invoice.html', data: '<p>ok</p><script>x</script>', method: 0 }]);
    const end = endOf(html);
    const central = html.readUInt32LE(end + 16);
    const short = Buffer.from(html);
    short.writeUInt32LE(9, central + 20);
    short.writeUInt32LE(9, central + 24);
    expect(read(short)).toMatch(/invoice.html: the local header's sizes differ/);
  });

  it('reads sizes from a data descriptor (flag 8), and refuses one that differs', () => {
    const data = Buffer.from('hello');
    const plain = zipFile([{ name: 'a.txt', data, method: 0 }]);
    const dataEnd = 30 + 'a.txt'.length + data.length;
    const descriptor = (size: number) => {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(0, 4);
      d.writeUInt32LE(size, 8);
      d.writeUInt32LE(size, 12);
      return d;
    };
    const build = (size: number) => {
      const local = Buffer.from(plain.subarray(0, dataEnd));
      local.writeUInt16LE(local.readUInt16LE(6) | 8, 6);
      local.writeUInt32LE(0, 18);
      local.writeUInt32LE(0, 22);
      const zip = Buffer.concat([local, descriptor(size), plain.subarray(dataEnd)]);
      const end = endOf(zip);
      zip.writeUInt32LE(zip.readUInt32LE(end + 16) + 16, end + 16);
      return zip;
    };
    expect(read(build(5))).toEqual(['a.txt']);
    expect(read(build(50))).toMatch(/sizes differ/);
  });

  it('still finds the end record after a comment', () => {
    const commented = Buffer.concat([pdf, Buffer.from('a comment')]);
    commented.writeUInt16LE(9, endOf(commented) + 20);
    expect(read(commented)).toEqual(['Invoice.pdf']);
    expect(commented.readUInt32LE(endOf(commented))).toBe(END);
  });
});
