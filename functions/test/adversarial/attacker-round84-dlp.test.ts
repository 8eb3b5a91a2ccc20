import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 84: outbound-policy sent a card a recipient still reads when its digits were grouped in thousands,
// its groups glued by `$`, `%` or one letter, its digits written as look-alike letters, or the card sat in a
// `<meta>`'s `content` (view source and a saved .eml show it). Held (probed, already refused): a card in a `title` or
// an `alt`, in a UTF-16 text part, in UTF-7 (`+ADQAMQAxADE-`), and in ISO-2022-JP full-width digits.
const stack = useLocalStack();
const kit = attackerKit(stack);
const out = (body: string | Buffer, type: string, head: string[] = []) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', ...head, `Content-Type: ${type}`], body));

describe('A84-1: a card in spellings a reader still reads', () => {
  for (const body of [
    'Card for the booking: 4,111,111,111,111,111',
    'Card for the booking: 4.111.111.111.111.111',
    'Card for the booking: 4111$1111$1111$1111',
    'Card for the booking: 4111%1111%1111%1111',
    'Card for the booking: 4111x1111x1111x1111',
    'Card for the booking: 4lll llll llll llll',
    'Card for the booking: 55OO OOOO OOOO OOO4',
  ])
    it(`bounces ${body}`, async () => {
      expect(await out(body, 'text/plain')).toBe('BOUNCE');
    });
  it('benign: an invoice with amounts, a phone number, an order and a tracking number is sent', async () => {
    const body = [
      'Invoice 2026-0042, order 4111-1111, total 12,345,678.90 EUR (VAT 2,345,678.90).',
      'Call +44 20 7946 0958. Tracking 1Z999AA10123456784, DHL 1234567890.',
      'Growth 4111% 1111% 1111% 1111%; prices $4111 $1111 $1111 $1111; size 1920x1080.',
    ].join('\r\n');
    expect(await out(body, 'text/plain')).toBe('DEFAULT');
  });
});

describe('A84-2: a card in a meta content', () => {
  it('bounces a card only a meta content holds', async () => {
    const page =
      '<html><head><meta name="note" content="4111 1111 1111 1111"></head><body><p>see you</p></body></html>';
    expect(await out(page, 'text/html')).toBe('BOUNCE');
  });
  it('benign: the usual meta contents are sent', async () => {
    const page = [
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
      '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
      '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">',
      '<meta name="format-detection" content="telephone=no"></head><body><p>see you</p></body></html>',
    ].join('\r\n');
    expect(await out(page, 'text/html')).toBe('DEFAULT');
  });
});

describe('held: places and charsets already read', () => {
  it('bounces a card in a title, an alt, UTF-16, UTF-7 and ISO-2022-JP', async () => {
    expect(await out('<p title="4111 1111 1111 1111">x</p>', 'text/html')).toBe('BOUNCE');
    expect(await out('<img alt="card 4111 1111 1111 1111" src="cid:x">', 'text/html')).toBe('BOUNCE');
    const utf16 = Buffer.from('\ufeffcard 4111 1111 1111 1111', 'utf16le').toString('base64');
    expect(await out(utf16, 'text/plain; charset=utf-16', ['Content-Transfer-Encoding: base64'])).toBe(
      'BOUNCE',
    );
    expect(await out('card +ADQAMQAxADE- 1111 1111 1111', 'text/plain; charset=utf-7')).toBe('BOUNCE');
    const jis = Buffer.from('card \x1b$B#4#1#1#1\x1b(B 1111 1111 1111', 'latin1');
    expect(await out(jis, 'text/plain; charset=iso-2022-jp')).toBe('BOUNCE');
  });
});
