import { describe, expect, it } from 'vitest';
import { armoredKeyOrSignature } from './armored-openpgp.js';

// Packets as GnuPG writes them: a public key (tag 6, new format), a user id (13), a signature (2, old format).
const packet = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([0xc0 | tag, body.length]), body]);
const oldPacket = (tag: number, body: Buffer) =>
  Buffer.concat([Buffer.from([0x80 | (tag << 2), body.length]), body]);
const armor = (label: string, data: Buffer, headers: string[] = []) =>
  Buffer.from(
    [
      `-----BEGIN PGP ${label}-----`,
      ...headers,
      '',
      data.toString('base64'),
      '=AAAA',
      `-----END PGP ${label}-----`,
      '',
    ].join('\n'),
  );
const KEY = Buffer.concat([
  packet(6, Buffer.alloc(51, 1)),
  packet(13, Buffer.from('Dave <dave@partner.example>')),
  oldPacket(2, Buffer.alloc(40, 2)),
]);
const LITERAL = packet(
  11,
  Buffer.concat([Buffer.from([0x62, 1]), Buffer.from('a'), Buffer.alloc(4), Buffer.from('x')]),
);

describe('armoredKeyOrSignature', () => {
  it('takes a key block and a signature block, with armor headers and the checksum line', () => {
    expect(armoredKeyOrSignature(armor('PUBLIC KEY BLOCK', KEY, ['Comment: Dave']))).toBe(true);
    expect(armoredKeyOrSignature(armor('SIGNATURE', oldPacket(2, Buffer.alloc(40, 2))))).toBe(true);
  });

  it('refuses other packets under either label, whatever comes first', () => {
    expect(armoredKeyOrSignature(armor('PUBLIC KEY BLOCK', Buffer.concat([KEY, LITERAL])))).toBe(false);
    expect(armoredKeyOrSignature(armor('PUBLIC KEY BLOCK', packet(13, Buffer.from('id'))))).toBe(false);
    expect(armoredKeyOrSignature(armor('SIGNATURE', KEY))).toBe(false);
    expect(armoredKeyOrSignature(armor('MESSAGE', LITERAL))).toBe(false);
  });

  it('refuses packets cut short, partial lengths, text around the block and a second block', () => {
    expect(armoredKeyOrSignature(armor('PUBLIC KEY BLOCK', KEY.subarray(0, KEY.length - 3)))).toBe(false);
    expect(armoredKeyOrSignature(armor('SIGNATURE', Buffer.from([0xc2, 0xe1, 1, 2])))).toBe(false);
    const key = armor('PUBLIC KEY BLOCK', KEY);
    expect(armoredKeyOrSignature(Buffer.concat([Buffer.from('my key:\n'), key]))).toBe(false);
    expect(armoredKeyOrSignature(Buffer.concat([key, armor('MESSAGE', LITERAL)]))).toBe(false);
    expect(armoredKeyOrSignature(Buffer.concat([key, Buffer.from('\0')]))).toBe(false);
  });

  it('refuses padding before the last line (data after it is read by one decoder and not by another)', () => {
    // Node stops at the first `=`: a key ending in padding, then a literal data packet, reads as the key alone.
    const key = (KEY.length % 3 === 0 ? Buffer.concat([KEY, oldPacket(2, Buffer.alloc(1))]) : KEY).toString(
      'base64',
    );
    const text = [
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      '',
      key,
      LITERAL.toString('base64'),
      '-----END PGP PUBLIC KEY BLOCK-----',
      '',
    ];
    expect(key.endsWith('=')).toBe(true);
    expect(armoredKeyOrSignature(Buffer.from(text.join('\n')))).toBe(false);
  });
});
