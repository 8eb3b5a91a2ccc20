import { describe, expect, it } from 'vitest';
import { tnefStream } from '../testing/tnef.js';
import { isTnef, tnefData } from './tnef-data.js';

/** One attribute as Outlook frames it (level, id, length, data, checksum). */
function attribute(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(2, 0);
  head.writeUInt32LE(id, 1);
  head.writeUInt32LE(data.length, 5);
  return Buffer.concat([head, data, Buffer.alloc(2)]);
}

describe('tnefData: the files of a winmail.dat', () => {
  it('gives each file its bytes and title, the title before or after the data (Outlook writes it after)', () => {
    const before = tnefStream([
      { title: 'A.TXT', data: Buffer.from('first') },
      { title: 'B.CSV', data: Buffer.from('second') },
    ]);
    expect(isTnef(before)).toBe(true);
    expect(tnefData(before, 10, 1000).map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['A.TXT', 'first'],
      ['B.CSV', 'second'],
    ]);
    const after = Buffer.concat([
      tnefStream([]),
      attribute(0x00069002, Buffer.alloc(14)),
      attribute(0x0006800f, Buffer.from('data first')),
      attribute(0x00018010, Buffer.from('LATE.TXT\0', 'latin1')),
    ]);
    expect(tnefData(after, 10, 1000)).toEqual([{ name: 'LATE.TXT', bytes: Buffer.from('data first') }]);
  });

  it('throws on a stream cut inside an attribute, or holding more files than allowed', () => {
    const stream = tnefStream([{ title: 'A.TXT', data: Buffer.from('x'.repeat(100)) }]);
    expect(() => tnefData(stream.subarray(0, stream.length - 50), 10, 1000)).toThrow(
      /ends inside an attribute/,
    );
    expect(() => tnefData(stream.subarray(0, stream.length - 2 - 100 - 5), 10, 1000)).toThrow(
      /attribute header/,
    );
    const many = tnefStream(Array.from({ length: 3 }, () => ({ data: Buffer.from('f') })));
    expect(() => tnefData(many, 2, 1000)).toThrow(/more than 2 files/);
    expect(isTnef(Buffer.from('PK\x03\x04'))).toBe(false);
  });
  it("gives the contents its attachment's MAPI properties hold (PR_ATTACH_DATA_BIN), named by its title and long name", () => {
    const stream = tnefStream([
      { title: 'CARDS~1.PDF', longName: 'cards.pdf', dataProperty: Buffer.from('in the list') },
    ]);
    expect(tnefData(stream, 10, 1000)).toEqual([
      { name: 'CARDS~1.PDF', names: ['cards.pdf'], bytes: Buffer.from('in the list') },
    ]);
    // The same bytes as its attAttachData are one file, named by the list too.
    const both = tnefStream([
      { title: 'A.TXT', data: Buffer.from('same'), dataProperty: Buffer.from('same') },
    ]);
    expect(tnefData(both, 10, 1000).map((f) => f.bytes.toString())).toEqual(['same']);
    // An attached message's files are read too.
    const nested = tnefStream([{ message: [{ title: 'INNER.TXT', data: Buffer.from('inner') }] }]);
    expect(tnefData(nested, 10, 1000).map((f) => [f.name, f.bytes.toString()])).toEqual([
      ['INNER.TXT', 'inner'],
    ]);
  });
});
