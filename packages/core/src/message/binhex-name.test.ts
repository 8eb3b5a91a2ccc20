import { describe, expect, it } from 'vitest';
import { BINHEX_BEGIN, BINHEX_NAME_CHARS, binhexName } from './binhex-name.js';

// BinHex 4.0 (RFC 1741) as an encoder writes the start of a file: the header's name after its length byte,
// 0x90 escaped as 0x90 0x00, six bits a character.
const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
function binhexStart(name: string): string {
  const raw = [name.length, ...Buffer.from(name, 'latin1'), 0, ...Buffer.from('????????', 'latin1')];
  const rle = raw.flatMap((b) => (b === 0x90 ? [b, 0] : [b]));
  while (rle.length % 3) rle.push(0);
  let out = ':';
  for (let i = 0; i < rle.length; i += 3) {
    const n = ((rle[i] ?? 0) << 16) | ((rle[i + 1] ?? 0) << 8) | (rle[i + 2] ?? 0);
    for (const shift of [18, 12, 6, 0]) out += ALPHABET[(n >> shift) & 63];
  }
  return out;
}

describe('binhexName', () => {
  it('reads the name in the header', () => {
    expect(binhexName(binhexStart('invoice.exe'))).toBe('invoice.exe');
    expect(binhexName(`\n${binhexStart('\x90\x90a.zip')}`)).toBe('\x90\x90a.zip');
    expect(binhexName(binhexStart('n'.repeat(63)))).toBe('n'.repeat(63));
  });
  it('expands a run in the name', () => {
    // 'a', then 0x90 4: three more 'a's.
    const bytes = [5, 0x61, 0x90, 4, 0x2e, 0, 0, 0, 0];
    let data = ':';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      for (const shift of [18, 12, 6, 0]) data += ALPHABET[(n >> shift) & 63];
    }
    expect(binhexName(data)).toBe('aaaa.');
  });
  it('waits for more data, and gives none for what is no name', () => {
    expect(binhexName(binhexStart('invoice.exe').slice(0, 8))).toBeUndefined();
    expect(binhexName('')).toBeUndefined();
    expect(binhexName('x'.repeat(BINHEX_NAME_CHARS + 1))).toBeNull();
    expect(binhexName(':not binhex')).toBeNull();
    expect(binhexName(':!!!!')).toBeNull();
    expect(binhexName(`${binhexStart('invoice.exe').slice(0, 8)}:`)).toBeNull();
  });
  it('knows the begin line, loosely', () => {
    expect(BINHEX_BEGIN.test('(This file must be converted with BinHex 4.0)')).toBe(true);
    expect(BINHEX_BEGIN.test('  (this file must be converted with binhex 5.0) ')).toBe(true);
    expect(BINHEX_BEGIN.test('> (This file must be converted with BinHex 4.0)')).toBe(false);
  });
});
