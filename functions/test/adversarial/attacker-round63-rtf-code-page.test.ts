import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-2 (medium, DLP, careless insider): a card in an RTF document in a double-byte code page.
// WordPad and other RichEdit writers on a Japanese, Chinese or Korean Windows declare the document's code page
// (`\ansicpg932`, a font's `\fcharset128`) and write each character of it as two `\'hh` escapes: the full-width 4
// typed with the IME on is `\'82\'53`. The RTF reader decoded each escape as one Windows-1252 character (`‚S`), so
// the recipient's WordPad showed ４１１１ １１１１ … and the DLP read Latin letters. Runs of escapes are now also
// decoded in each double-byte code page the document declares (rtf-text.ts); a run right after `\uN` is that
// character's fallback and is left as it was. Each attack was sent (DEFAULT) before the fix; each control is sent.
const stack = useLocalStack();
const kit = attackerKit(stack);
// Each character of the code page as RichEdit writes it: ASCII as itself, a double-byte one as two escapes (or, as
// some writers do, its lead byte escaped and a trail byte in ASCII's range as itself).
const escaped = (text: string, page: string, literalTrail = false) =>
  [...text]
    .map((c) => {
      const bytes = [...iconv.encode(c, page)];
      if (bytes.length === 1 && (bytes[0] as number) < 0x80) return c;
      return bytes
        .map((b, i) =>
          literalTrail && i > 0 && b > 0x20 && b < 0x7f && !'\\{}'.includes(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : `\\'${b.toString(16).padStart(2, '0')}`,
        )
        .join('');
    })
    .join('');
const rtf = (head: string, body: string) => Buffer.from(`{\\rtf1\\ansi${head}\\f0 ${body}\\par}`, 'latin1');
const send = (file: Buffer) => kit.outbound(outboundFile('memo.rtf', file, 'application/rtf'));
const FULL = '４１１１　１１１１　１１１１　１１１１';

describe('A63-2: an RTF document in a double-byte code page', () => {
  const cases: Record<string, [string, string, string]> = {
    'Shift_JIS, by the document code page': ['\\ansicpg932', 'shift_jis', `カード番号：${FULL}`],
    'Shift_JIS, by a font charset only': [
      '{\\fonttbl{\\f0\\fcharset128 MS Mincho;}}',
      'shift_jis',
      `カード：${FULL}`,
    ],
    GBK: ['\\ansicpg936', 'gbk', `卡号：${FULL}`],
    Big5: ['\\ansicpg950', 'big5', `卡號：${FULL}`],
    'Korean (949)': ['\\ansicpg949', 'euc-kr', `카드: ${FULL}`],
  };
  for (const [how, [head, page, text]] of Object.entries(cases))
    it(`bounces a card in ${how}`, async () => {
      expect(await send(rtf(head, escaped(text, page)))).toBe('BOUNCE');
    });
  it('bounces a card whose trail bytes in ASCII range are written as themselves', async () => {
    expect(await send(rtf('\\ansicpg950', escaped(`卡號：${FULL}`, 'big5', true)))).toBe('BOUNCE');
    expect(await send(rtf('\\ansicpg932', escaped(`カード：${FULL}`, 'shift_jis', true)))).toBe('BOUNCE');
  });
  it('(control) sends a Shift_JIS document without a card, and one with \\u characters and fallbacks', async () => {
    expect(await send(rtf('\\ansicpg932', escaped('電話：０３－１２３４－５６７８', 'shift_jis')))).toBe(
      'DEFAULT',
    );
    const fallbacks = [...'予約１２３４']
      .map((c) => `\\u${c.charCodeAt(0)}${escaped(c, 'shift_jis')}`)
      .join('');
    expect(await send(rtf('\\ansicpg932\\uc2', fallbacks))).toBe('DEFAULT');
  });
  it('(control) bounces a Word RTF card written as \\u characters, as before', async () => {
    const body = [...FULL].map((c) => `\\u${c.charCodeAt(0)}${escaped(c, 'shift_jis')}`).join('');
    expect(await send(rtf('\\ansicpg932\\uc2', body))).toBe('BOUNCE');
  });
});
