import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/compound.js';
import { compoundStreams, isCompoundFile } from './compound-file.js';

const big = (c: string) => Buffer.from(c.repeat(5000));

describe('compoundStreams: the streams of an OLE compound file', () => {
  it('reads large streams through the FAT (contiguous or fragmented) and small ones from the mini stream', () => {
    for (const interleave of [false, true]) {
      const file = compoundFile(
        [
          ['CONTENTS', big('a')],
          ['small', Buffer.from('tiny stream')],
          ['other', big('b')],
        ],
        { interleave },
      );
      expect(isCompoundFile(file)).toBe(true);
      const streams = compoundStreams(file, 1 << 20);
      expect(streams.map((s) => [s.name, s.size])).toEqual([
        ['CONTENTS', 5000],
        ['small', 11],
        ['other', 5000],
      ]);
      expect(streams.map((s) => s.bytes())).toEqual([big('a'), Buffer.from('tiny stream'), big('b')]);
      // Where each stream's bytes lie in the file: its sectors (or mini sectors), in order.
      for (const stream of streams) {
        const stored = Buffer.concat(stream.spans.map(([start, end]) => file.subarray(start, end)));
        expect(stored.subarray(0, stream.size)).toEqual(stream.bytes());
      }
      expect(streams[1]?.spans).toHaveLength(1);
      expect(streams[0]?.spans).toHaveLength(10);
    }
  });

  it('reads a file whose FAT spans several sectors (listed in the header)', () => {
    // 300 KB: about 600 sectors, five FAT sectors.
    const large = Buffer.alloc(300_000, 'z');
    for (const interleave of [false, true]) {
      const file = compoundFile(
        [
          ['WordDocument', large],
          ['1Table', big('t')],
        ],
        { interleave },
      );
      expect(file.readUInt32LE(44)).toBeGreaterThan(1);
      expect(compoundStreams(file, 1 << 20).map((s) => s.bytes())).toEqual([large, big('t')]);
    }
  });

  it('throws on a chain that loops or leaves the file, and past its byte bound', () => {
    const file = compoundFile([['CONTENTS', big('a')]]);
    expect(() => compoundStreams(file, 100)).toThrow(/more than 100 bytes/);
    // The stream's first sector names itself as the next: a loop.
    const looped = Buffer.from(file);
    const fatAt = 512;
    const start = compoundStreams(file, 1 << 20).length > 0 ? 2 : 0;
    looped.writeUInt32LE(start, fatAt + start * 4);
    expect(() => compoundStreams(looped, 1 << 20)[0]?.bytes()).toThrow(/broken or loops|bytes/);
    const cut = file.subarray(0, 512 * 4);
    expect(() => compoundStreams(cut, 1 << 20)[0]?.bytes()).toThrow(/past the end/);
    expect(() => compoundStreams(Buffer.from('not a compound file'), 1 << 20)).toThrow(/not a compound file/);
  });
});
