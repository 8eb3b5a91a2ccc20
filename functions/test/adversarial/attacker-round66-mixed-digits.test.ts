import { compoundFile } from '@wmflow/core/testing';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 66, A66-3: a card in an OLE file's 8-bit strings (an ANSI Outlook `.msg`, a legacy `.doc` or
// `.xls`) typed with full-width digits mixed with ASCII ones, never four full-width digits in a row. Outlook and
// Word on a Japanese Windows show the strings in Shift_JIS (４1１1 1１1１ …, a Luhn-valid number); round 63 read a
// binary file's strings in a double-byte code page only where four of its full-width digits stand in a row, so the
// number went out. They are now also read so where a full-width digit stands in a run of at least twelve digits of
// either width (gaps of up to six bytes between them: separators). Each attack was sent (DEFAULT) before the fix;
// each control is sent as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const msg = (text: string, page = 'shift_jis') =>
  outboundFile(
    'booking.msg',
    compoundFile([['__substg1.0_1000001E', iconv.encode(text, page)]]),
    'application/vnd.ms-outlook',
  );

describe('A66-3: full-width digits mixed with ASCII ones in an OLE file', () => {
  const attacks: Record<string, () => Buffer> = {
    'alternating widths, ideographic spaces between groups': () =>
      msg('カード番号：４1１1　1１1１　１1１1　1１1１'),
    'one full-width digit a group': () => msg('カード番号：411１ 111１ 111１ 111１'),
    'one full-width digit in all, dashes between groups': () => msg('カード：4111-1111-1111-111１'),
    'pairs of each width, no separators': () => msg('カード：４１11１１11１１11１１11'),
    'EUC-KR, alternating widths': () => msg('카드 번호: ４1１1 1１1１ １1１1 1１1１', 'euc-kr'),
    'Big5, alternating widths': () => msg('信用卡：４1１1 1１1１ １1１1 1１1１', 'big5'),
  };
  for (const [how, build] of Object.entries(attacks))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(build())).toBe('BOUNCE');
    });
  const controls: Record<string, () => Buffer> = {
    'a booking number and a phone number of mixed widths': () =>
      msg('予約番号：１２34　５６78　電話：０３-1234-５６７８'),
    'a card-length number of mixed widths that fails the Luhn check': () =>
      msg('注文番号：４1１1　1１1１　１1１1　1１1２'),
  };
  for (const [how, build] of Object.entries(controls))
    it(`(control) sends ${how}`, async () => {
      expect(await kit.outbound(build())).toBe('DEFAULT');
    });
});
