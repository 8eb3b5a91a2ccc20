import { describe, expect, it } from 'vitest';
import { base64Texts } from './base64-texts.js';
import { collectSensitive } from './index.js';

// False-positive round 8 on attacker round 106's cut reading of base64 runs (also up to the first line of another
// length, and the line after it): the base64 of ordinary mail with lines of words under it reads as the text it is, or
// as none, and nothing read from it is a card or an IBAN.
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % 251));
const wrap = (s: string, width: number) => s.replace(new RegExp(`.{${width}}`, 'g'), '$&\n');
const sensitive = (text: string) =>
  base64Texts(text).flatMap((t) => [...collectSensitive(t, ['payment-card', 'iban'], new Set<string>(), 10)]);

describe('base64 in ordinary mail, with lines of words under it', () => {
  it('a DKIM signature quoted in a forward, then the From line', () => {
    const sig = b64(bytes(256, 2));
    const text = `DKIM-Signature: v=1; a=rsa-sha256; d=partner.example; s=s1;\n b=${sig.slice(0, 70)}\n  ${sig.slice(70, 146)}\n  ${sig.slice(146)}\nFrom: Carol <carol@partner.example>\n`;
    expect(sensitive(text)).toEqual([]);
  });
  it('a PGP signature, its checksum line and a name under it', () => {
    const text = `-----BEGIN PGP SIGNATURE-----\n\n${wrap(b64(bytes(310, 3)), 64)}\n=Ab3c\n-----END PGP SIGNATURE-----\nBob\n`;
    expect(sensitive(text)).toEqual([]);
  });
  it('a vCard photo folded over lines, then a note with numbers and END:VCARD', () => {
    const photo = wrap(b64(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), bytes(1500, 6)])), 74);
    const text = `PHOTO;ENCODING=b;TYPE=JPEG:${photo.replace(/\n/g, '\n ')}\nNOTE:booth 4111\\, hall 2\nEND:VCARD\n`;
    expect(sensitive(text)).toEqual([]);
  });
  it('a pasted base64 settings blob and a signature with a phone number', () => {
    const settings = JSON.stringify({ region: 'eu-west-1', retries: 3, timeoutMs: 4111, port: 5432 });
    const text = `${wrap(b64(settings), 76)}\nThanks\nBob Smith | +1 (800) 555-0199\n`;
    expect(base64Texts(text)).toContain(settings);
    expect(sensitive(text)).toEqual([]);
  });
  it('a JWT, its payload an order with numbers, and a signature under it', () => {
    const payload = b64('{"sub":"1234567890","order":"114-3941689-8772232","iat":1765101600}').replace(
      /=+$/,
      '',
    );
    const text = `token: ${b64('{"alg":"HS256"}').replace(/=+$/, '')}.${payload}.${b64(bytes(32, 4)).replace(/=+$/, '')}\nRegards\nBob\n`;
    expect(sensitive(text)).toEqual([]);
  });
});
