import { describe, expect, it } from 'vitest';
import { compressedRtf } from '../testing/lzfu.js';
import { lzfuDecompress } from './lzfu.js';

// A stream by hand: its header (the size after the first field, the raw size, `LZFu`, a CRC not checked), then
// the control byte and its tokens.
function stream(body: number[], raw: number, type = 0x75465a4c): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(body.length + 12, 0);
  h.writeUInt32LE(raw, 4);
  h.writeUInt32LE(type, 8);
  return Buffer.concat([h, Buffer.from(body)]);
}

describe('lzfuDecompress: a compressed RTF body (MS-OXRTFCP)', () => {
  it('reads literals, a reference into the prefilled dictionary and one that overlaps what it writes', () => {
    // 'a', 'b', then 6 bytes from offset 0 (the prefix's `{\rtf1`), then the end (a reference to the write position 215).
    expect(lzfuDecompress(stream([0x0c, 0x61, 0x62, 0x00, 0x04, 0x0d, 0x70], 8), 100).toString()).toBe(
      'ab{\\rtf1',
    );
    // 'x' at 207, then 5 bytes from 207: a run of x written as it is read.
    expect(lzfuDecompress(stream([0x06, 0x78, 0x0c, 0xf3, 0x0d, 0x50], 6), 100).toString()).toBe('xxxxxx');
    // Literals only, no end reference: read to the end of the data.
    expect(
      lzfuDecompress(stream([0x00, 0x7b, 0x5c, 0x72, 0x74, 0x66, 0x31, 0x20, 0x7d], 8), 100).toString(),
    ).toBe('{\\rtf1 }');
  });

  it('reads what the writer of the tests writes, and a stored (MELA) body', () => {
    const rtf = '{\\rtf1\\ansi\\ansicpg1252\\pard Card 4111 1111 1111 1111, 4111 1111 again\\par }';
    expect(lzfuDecompress(compressedRtf(rtf), 1000).toString('latin1')).toBe(rtf);
    expect(lzfuDecompress(compressedRtf(rtf, { mode: 'literal' }), 1000).toString('latin1')).toBe(rtf);
    expect(lzfuDecompress(compressedRtf(rtf, { mode: 'stored' }), 1000).toString('latin1')).toBe(rtf);
    expect(compressedRtf(rtf).length).toBeLessThan(compressedRtf(rtf, { mode: 'literal' }).length);
  });

  it("reads an attacker's streams (round 27): back-references and \\'3x escapes", () => {
    const refs = Buffer.from('JQAAACkAAABMWkZ1U0VzEwkACSBDCxEgNDExvDEgDhEOMw40CqJ9D4A=', 'base64');
    expect(lzfuDecompress(refs, 1000).toString('latin1')).toContain('Card 4111 1111 1111 1111');
    const escapes = Buffer.from(
      'cwAAAFkAAABMWkZ1h1cLaAB7XHJ0ZjFcYQBuc2kgQ2FyZAAgXCczNFwnMwAxXCczMVwnMwAxIFwnMzFcJwAzMVwnMzFcJwAzMSBcJzMxXAAnMzFcJzMxXAAnMzEgXCczMQBcJzMxXCczMQBcJzMxXHBhcgJ9EoA=',
      'base64',
    );
    expect(lzfuDecompress(escapes, 1000).toString('latin1')).toMatch(/^\{\\rtf1\\ansi Card \\'34\\'31/);
  });

  it('refuses a stream it cannot read: short, of an unknown type, cut, or larger than the bound', () => {
    expect(() => lzfuDecompress(Buffer.alloc(10), 100)).toThrow(/shorter than its header/);
    expect(() => lzfuDecompress(stream([0], 1, 0x12345678), 100)).toThrow(/of type/);
    expect(() => lzfuDecompress(stream([0x00, 0x61], 1).subarray(0, 17), 100)).toThrow(/claims more/);
    expect(() => lzfuDecompress(stream([0x01, 0x00], 1), 100)).toThrow(/inside a reference/);
    expect(() => lzfuDecompress(compressedRtf('x'.repeat(200)), 100)).toThrow(/over 100/);
    // A raw size that understates it: the output is bounded by the caller's bound, not by the claim.
    const understated = compressedRtf('y'.repeat(200));
    understated.writeUInt32LE(10, 4);
    expect(lzfuDecompress(understated, 1000).length).toBe(200);
    expect(() => lzfuDecompress(understated, 100)).toThrow(/more than 100/);
  });
});
