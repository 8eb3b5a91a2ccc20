import { describe, expect, it } from 'vitest';
import { binaryReading, decodedHead, HEAD_BYTES, oleTextViews } from './binary-text.js';

describe('text in parts declared binary', () => {
  it('tells text, OLE files and binary apart by their first bytes', () => {
    expect(binaryReading(Buffer.from('a,b\r\n1,2\t3\f\x1b[0m caf\xc3\xa9', 'latin1'))).toBe('text');
    expect(binaryReading(Buffer.from('\ufeffhi', 'utf16le'))).toBe('text');
    expect(binaryReading(Buffer.from('d0cf11e0a1b11ae10000', 'hex'))).toBe('strings');
    expect(binaryReading(Buffer.from('789f3e2201000000', 'hex'))).toBe('strings');
    expect(binaryReading(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(binaryReading(Buffer.from('%PDF-1.4\n\x00', 'latin1'))).toBe('pdf');
    expect(binaryReading(Buffer.from('junk before it\n%PDF-1.4\n\x00', 'latin1'))).toBe('pdf');
    expect(binaryReading(Buffer.alloc(0))).toBe('binary');
  });
  it('reads an OLE file as 8-bit text and as UTF-16LE from both offsets', () => {
    const utf16 = Buffer.from('4111 1111', 'utf16le');
    expect(oleTextViews(utf16)[1]).toBe('4111 1111');
    expect(oleTextViews(Buffer.concat([Buffer.from([0]), utf16]))[2]).toBe('4111 1111');
    expect(oleTextViews(Buffer.from('plain 8-bit'))[0]).toBe('plain 8-bit');
  });
  it('decodes only the start of a base64 body', () => {
    const body = Buffer.alloc(100_000, 0x41);
    const encoded = Buffer.from(body.toString('base64').replace(/.{76}/g, '$&\r\n'));
    expect(decodedHead('base64', encoded)).toEqual(body.subarray(0, HEAD_BYTES));
    expect(decodedHead('7bit', Buffer.from('abc'))).toEqual(Buffer.from('abc'));
  });
});
