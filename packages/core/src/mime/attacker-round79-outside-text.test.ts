import { describe, expect, it } from 'vitest';
import { readVisibleText, type TextPlace } from './visible-text.js';

// Attacker round 79: a multipart's preamble and epilogue travel with the message (a saved .eml, a message's source
// show them) but were never handed to the reader, so a card written there was sent. They are now read as text, the
// delimiter lines left out; past 1 MiB they are unread.
async function read(message: string) {
  const texts: { text: string; place: TextPlace }[] = [];
  const report = await readVisibleText(Buffer.from(message.replace(/\n/g, '\r\n')), (text, place) => {
    texts.push({ text, place });
    return false;
  });
  return { texts, report };
}
const outside = (texts: { text: string; place: TextPlace }[]) =>
  texts.filter((t) => t.place.label.startsWith('text outside the parts')).map((t) => t.text);

describe('text outside the parts of a multipart', () => {
  it('reads the preamble and the epilogue, without the delimiter lines', async () => {
    const { texts } = await read(
      [
        'Content-Type: multipart/mixed; boundary="b-4111111111111111"',
        '',
        'card 4111 1111',
        '--b-4111111111111111',
        'Content-Type: text/plain',
        '',
        'hi',
        '--b-4111111111111111--',
        '1111 1111 end',
        '',
      ].join('\n'),
    );
    const [text] = outside(texts);
    expect(text).toContain('card 4111 1111');
    expect(text).toContain('1111 1111 end');
    expect(text).not.toContain('--b-');
  });

  it('reads a nested multipart epilogue and one of an attached message', async () => {
    const { texts } = await read(
      [
        'Content-Type: multipart/mixed; boundary="o"',
        '',
        '--o',
        'Content-Type: multipart/alternative; boundary="i"',
        '',
        '--i',
        'Content-Type: text/plain',
        '',
        'hi',
        '--i--',
        'inner 5500 0000 0000 0004',
        '--o',
        'Content-Type: message/rfc822',
        '',
        'Content-Type: multipart/mixed; boundary="m"',
        '',
        'attached 3400 000000 00009',
        '--m',
        'Content-Type: text/plain',
        '',
        'x',
        '--m--',
        '--o--',
        '',
      ].join('\n'),
    );
    const all = outside(texts).join('\n');
    expect(all).toContain('inner 5500 0000 0000 0004');
    expect(all).toContain('attached 3400 000000 00009');
  });

  it('emits nothing for a message with only delimiters and blank lines outside its parts', async () => {
    const { texts } = await read(
      [
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'hi',
        '--b--',
        '',
      ].join('\n'),
    );
    expect(outside(texts)).toEqual([]);
  });

  it('leaves more than 1 MiB outside the parts unread', async () => {
    const filler = `${'x'.repeat(99)}\n`.repeat(11_000);
    const { report } = await read(
      [
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        filler,
        '--b',
        'Content-Type: text/plain',
        '',
        'hi',
        '--b--',
        '',
      ].join('\n'),
    );
    expect(report.unread.join('\n')).toMatch(/text outside the parts at depth 0 is over/);
  });
});
