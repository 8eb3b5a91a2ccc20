import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 13 (session 19). Each case got past the guard or outbound-policy at their defaults before
// this round.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const file = (headers: string, content: Buffer) =>
  mail(
    [FROM, MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );
const sheet = (cell: string) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet><sheetData><row r="1">${cell}</row></sheetData></worksheet>`,
    },
  ]);

describe('attacker round 13: a card a spreadsheet formula builds (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a CSV cell joining two strings with &': file(
      'Content-Type: text/csv; name="guests.csv"',
      Buffer.from('name,card\r\nAnn,="4111 1111 "&"1111 1111"\r\n'),
    ),
    'a CSV cell calling CONCATENATE, in CSV quoting': file(
      'Content-Type: text/csv; name="guests.csv"',
      Buffer.from('name,card\r\nAnn,"=CONCATENATE(""4111 1111 "";""1111 1111"")"\r\n'),
    ),
    'an .xlsx cell whose formula has no cached value': file(
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="guests.xlsx"',
      sheet('<c r="A1" t="str"><f>"4111 1111 "&amp;"1111 "&amp;1111</f></c>'),
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('sends spreadsheets whose formulas join other things (R&D, cell references, short numbers)', async () => {
    const csv =
      'team,code\r\nR&D,="DEPT-"&"4111"\r\nSales,=A2&B2\r\nOps,"=CONCATENATE(""1111 "",""2222"")"\r\n';
    expect(await kit.outbound(file('Content-Type: text/csv; name="teams.csv"', Buffer.from(csv)))).toBe(
      'DEFAULT',
    );
    const xlsx = sheet('<c r="A1" t="str"><f>"Q"&amp;4&amp;"-"&amp;2026</f><v>Q4-2026</v></c>');
    expect(await kit.outbound(file('Content-Type: application/octet-stream; name="plan.xlsx"', xlsx))).toBe(
      'DEFAULT',
    );
  });
});
