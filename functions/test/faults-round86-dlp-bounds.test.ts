/**
 * Fault round 86: attacker round 106's percent-decoding and base64 cuts in outbound-policy's DLP, under inputs
 * made to make them throw or pass their bounds, through the real function over the local Message Flow emulator.
 * The outcome asked: an answer for the recipient (never an invocation crash), a card found where one is written,
 * or the message refused as unread with a reason (not knowing is not allowing), never sent unread.
 */
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './adversarial/attacker-kit.js';
import { useLocalStack } from './adversarial/stack.js';

const kit = attackerKit(useLocalStack());
const CARD = '4111 1111 1111 1111';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (body: string, type = 'text/plain', encoding = '') =>
  mail(
    [
      'From: Bob <bob@corp.example>',
      `Content-Type: ${type}; charset=utf-8`,
      ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
    ],
    body,
  );
const lines = (s: string, width = 76) => s.replace(new RegExp(`.{${width}}`, 'g'), '$&\r\n');
// A percent-escaped text of `n` bytes of words (no digits), quoted-printable so its lines stay short.
const escapedWords = (n: number) =>
  [...'the quick brown fox ']
    .map((c) => `%${c.charCodeAt(0).toString(16)}`)
    .join('')
    .repeat(Math.ceil(n / 60));

describe('fault round 86: percent-decoding under load', () => {
  it('a multi-megabyte text of escapes with a card escaped at its end is bounced', async () => {
    const digits = [...'4111111111111111'].map((d) => `%3${d}`).join('');
    // The link on a line of its own (a line break inside a link ends it for readers too).
    const body = `${lines(escapedWords(6 * 1024 * 1024))}\r\nhttps://pay.example/?c=${digits}\r\n`;
    const verdict = await kit.outboundVerdict(text(body));
    expect(verdict?.type).toBe('BOUNCE');
  }, 120_000);

  it('a multi-megabyte text of escapes and no card is answered', async () => {
    const verdict = await kit.outboundVerdict(text(lines(escapedWords(6 * 1024 * 1024))));
    expect(verdict?.type).toBeDefined();
  }, 120_000);

  it('escapes cut at a line end (a % alone, %3 then a break) do not throw', async () => {
    const body = `${'%\r\n%3\r\n%%%41%4\r\n'.repeat(20_000)}4111%201111%201111%201111\r\n`;
    expect(await kit.outbound(text(body))).toBe('BOUNCE');
  }, 120_000);
});

describe('fault round 86: base64 cuts at many lengths', () => {
  // A card carried in base64, wrapped at each width, with a line of words under it: bounced at every run length.
  for (const width of [4, 5, 23, 24, 25, 63, 64, 76, 77, 999]) {
    it(`a run wrapped at ${width}, each padding, a word under it`, async () => {
      const failures: string[] = [];
      for (let pad = 0; pad < 3; pad++) {
        const run = lines(b64(`${'x'.repeat(pad)}card ${CARD} here`), width).trimEnd();
        const verdict = await kit.outbound(text(`${run}\r\nThanks\r\n`));
        if (verdict !== 'BOUNCE') failures.push(`pad ${pad}: ${verdict}`);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it('a run of many line lengths, each line a different one, is answered with the card found', async () => {
    const run = b64(`${'filler text '.repeat(4000)}card ${CARD}`);
    let wrapped = '';
    for (let at = 0, w = 4; at < run.length; at += w, w = (w % 90) + 4)
      wrapped += `${run.slice(at, at + w)}\r\n`;
    const verdict = await kit.outboundVerdict(text(wrapped));
    expect(verdict?.type).toBe('BOUNCE');
  }, 120_000);

  it('many short runs (24 to 100 letters) each on its own line, the last carrying the card', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++) parts.push(b64('x'.repeat(18 + (i % 57))));
    parts.push(b64(`card ${CARD}`));
    expect(await kit.outbound(text(parts.join('\r\nword\r\n')))).toBe('BOUNCE');
  }, 120_000);

  it('a base64 run of megabytes of text with the card at its end (a part transfer-encoded too)', async () => {
    const inner = lines(b64(`${'ordinary text. '.repeat(300_000)}card ${CARD}`));
    const body = lines(b64(`${inner}\r\nRegards\r\n`));
    const verdict = await kit.outboundVerdict(text(body, 'text/plain', 'base64'));
    expect(verdict?.type).toBe('BOUNCE');
  }, 120_000);
});
