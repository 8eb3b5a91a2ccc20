import { describe, expect, it } from 'vitest';
import { base64Texts } from './base64-texts.js';

// Attacker round 106: a run of base64 followed by lines of words was glued to them by the wrapped-run joining and
// read as no text (or as other text at another alignment).
const b64 = (s: string) => Buffer.from(s).toString('base64');
const CARD = 'card 4111 1111 1111 1111';
const finds = (text: string) => base64Texts(text).some((t) => t.includes(CARD));

describe('base64Texts: a run with words under it', () => {
  it('one line, then END:VCARD', () => {
    expect(finds(`KEY:data:text/plain;base64,${b64(CARD)}\r\nEND:VCARD\r\n`)).toBe(true);
  });
  it('one line, then two lines of a signature', () => {
    expect(finds(`${b64(CARD)}\r\nThanks\r\nBob\r\n`)).toBe(true);
  });
  it('a wrapped run with a short last line, then a word', () => {
    const run = b64(`${'details follow here. '.repeat(8)}${CARD}`).replace(/.{64}/g, '$&\n');
    expect(finds(`${run}\nRegards\n`)).toBe(true);
  });
  it('a wrapped run as before (no words under it) is read whole', () => {
    const text = `${'x'.repeat(100)} ${CARD}`;
    expect(base64Texts(b64(text).replace(/.{76}/g, '$&\r\n'))).toContain(text);
  });
  it('words alone read as no text', () => {
    expect(base64Texts('Thanks\r\nBob\r\nRegards\r\nAnnabelle\r\nMontgomery\r\n')).toEqual([]);
  });
});
