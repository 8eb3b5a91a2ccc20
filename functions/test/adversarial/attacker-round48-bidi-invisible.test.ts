import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-5: groupsTurned (bidi-order.ts) splits a number into digit groups on the raw text: any run of 1-6
// non-letter, non-digit characters is a separator. The card finder reads canonical text, where invisible
// characters (ZWSP U+200B, soft hyphen U+00AD, word joiner U+2060) disappear. The bidi algorithm removes them too
// (class BN, rule X9), so in a right-to-left paragraph:
//  - `123<ZWSP>6 1111 1111 4111` is drawn `4111 1111 1111 1236` (the ZWSP joins, it does not split: one EN run);
//    groupsTurned treats the ZWSP as a gap and gives `4111 1111 1111 6<ZWSP>123` → `…6123`: no card.
//  - seven ZWSPs and a space between two groups are a one-space gap to the finder and to the eye, but more than six
//    separator characters to GROUPS, so the first group is not turned with the others.
// Chromium and Outlook draw the groups this way after a Hebrew word (round 46's plain-hebrew-word fixture).
const stack = useLocalStack();
const kit = attackerKit(stack);
const plain = (body: string) =>
  kit.outbound(
    mail(
      ['From: Alice <alice@corp.example>', 'Subject: details', 'Content-Type: text/plain; charset=utf-8'],
      body,
    ),
  );

describe('A48-5: invisible characters inside a number among right-to-left text', () => {
  it('bounces a card whose last drawn group holds a zero-width space', async () => {
    expect(await plain('מספר 123\u200b6 1111 1111 4111\r\n')).toBe('BOUNCE');
  });
  it('bounces a card whose last drawn group holds a soft hyphen', async () => {
    expect(await plain('מספר 123\u00ad6 1111 1111 4111\r\n')).toBe('BOUNCE');
  });
  it('bounces a card whose groups are joined by a space and seven zero-width spaces', async () => {
    expect(await plain(`מספר 1111 ${'\u200b'.repeat(7)}1111 1111 4111\r\n`)).toBe('BOUNCE');
  });
  it('(control) the same numbers without the invisible characters bounce', async () => {
    expect(await plain('מספר 1236 1111 1111 4111\r\n')).toBe('BOUNCE');
    expect(await plain('מספר 1111 1111 1111 4111\r\n')).toBe('BOUNCE');
  });
});

// A48-14: a bare CR is a line break where the text is shown (the HTML input stream turns CR into LF, also for
// text/plain documents), so each line is reordered on its own: logical `<Hebrew> 1111 4111<CR>1111 1111` is drawn
// `4111 1111 <Hebrew>` over `1111 1111` — the card read down the lines. The canonical text makes the CR a space and
// GROUPS (which stops only at LF and U+2029) turns both lines as one run: `1111 1111 4111 1111`, no card.
describe('A48-14: a bare CR between two lines among right-to-left text', () => {
  const base64 = (body: string) =>
    kit.outbound(
      mail(
        [
          'From: Alice <alice@corp.example>',
          'Subject: details',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: base64',
        ],
        Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n'),
      ),
    );
  it('bounces the card drawn down two lines split by a bare CR', async () => {
    expect(await base64('מספר 1111 4111\r1111 1111\r\n')).toBe('BOUNCE');
  });
  it('(control) the same split by CRLF bounces', async () => {
    expect(await base64('מספר 1111 4111\r\n1111 1111\r\n')).toBe('BOUNCE');
  });
});

// A48-15: the same across an HTML line break or block: in a right-to-left paragraph each line (each block) is
// reordered on its own, `<p dir=rtl>1111 4111<br>1111 1111</p>` draws `4111 1111` over `1111 1111`.
describe('A48-15: a card drawn down two lines of a right-to-left page', () => {
  const html = (page: string) =>
    kit.outbound(
      mail(
        ['From: Alice <alice@corp.example>', 'Subject: details', 'Content-Type: text/html; charset=utf-8'],
        page,
      ),
    );
  it('(held) bounces lines split by <br>', async () => {
    expect(await html('<html><body><p dir="rtl">1111 4111<br>1111 1111</p></body></html>')).toBe('BOUNCE');
  });
  it('(held) bounces lines in two blocks', async () => {
    expect(
      await html('<html><body><div dir="rtl"><div>1111 4111</div><div>1111 1111</div></div></body></html>'),
    ).toBe('BOUNCE');
  });
});
