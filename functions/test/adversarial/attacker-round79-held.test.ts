import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 79, held probes: a card or an IBAN that outbound-policy already refused before this round — in a
// title, a script, CSS generated content, a header, a URL fragment, a QP soft break, in mathematical, mixed-script,
// super- and subscript, circled or parenthesized digits, a digit a line or a cell, joined by tildes, stars, bullets,
// brackets or apostrophes, an .xlsx row of fours, a cell formula or two number cells, a CSV number in exponent form.
const stack = useLocalStack();
const kit = attackerKit(stack);
const out = (body: string, type = 'text/plain; charset=utf-8', head: string[] = []) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', ...head, `Content-Type: ${type}`], body));

const xlsx = (sheet: string, shared = '<sst/>') =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    {
      name: 'xl/workbook.xml',
      data: '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    { name: 'xl/sharedStrings.xml', data: shared },
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${sheet}</sheetData></worksheet>` },
  ]);

const probes: Record<string, () => Promise<string | undefined>> = {
  title: () =>
    out('<html><head><title>4111 1111 1111 1111</title></head><body>hi</body></html>', 'text/html'),
  script: () => out('<html><body><script>var c="4111 1111 1111 1111"</script>hi</body></html>', 'text/html'),
  styleContent: () =>
    out(
      '<html><head><style>p::after{content:"4111 1111 1111 1111"}</style></head><body><p>hi</p></body></html>',
      'text/html',
    ),
  contentDescription: () => out('hi', 'text/plain', ['Content-Description: 4111 1111 1111 1111']),
  xHeader: () => out('hi', 'text/plain', ['X-Card: 4111 1111 1111 1111']),
  mathDigits: () => out('card 𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏'),
  mixedScripts: () => out('card 4١11 ११११ 1111 ١١١١'),
  superscript: () => out('card ⁴¹¹¹ ¹¹¹¹ ¹¹¹¹ ¹¹¹¹'),
  subscript: () => out('card ₄₁₁₁ ₁₁₁₁ ₁₁₁₁ ₁₁₁₁'),
  circled: () => out('card ④①①① ①①①① ①①①① ①①①①'),
  dingbatCircled: () => out('card ➍➊➊➊ ➊➊➊➊ ➊➊➊➊ ➊➊➊➊'),
  negCircled: () => out('card ❹❶❶❶ ❶❶❶❶ ❶❶❶❶ ❶❶❶❶'),
  parenDigits: () => out('card ⑷⑴⑴⑴ ⑴⑴⑴⑴ ⑴⑴⑴⑴ ⑴⑴⑴⑴'),
  fullStopDigits: () => out('card ⒋⒈⒈⒈ ⒈⒈⒈⒈ ⒈⒈⒈⒈ ⒈⒈⒈⒈'),
  digitPerLine: () =>
    out('card\r\n4\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n1\r\n'),
  spacedDigits: () => out('card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'),
  exponentCsv: () =>
    kit.outbound(outboundFile('a.csv', Buffer.from('n,amex\n1,3.40000000000009E+14\n'), 'text/csv')),
  digitCells: () =>
    out(
      `<table><tr>${[...'4111111111111111'].map((d) => `<td>${d}</td>`).join('')}</tr></table>`,
      'text/html',
    ),
  xlsxRowOfFours: () =>
    kit.outbound(
      outboundFile(
        'a.xlsx',
        xlsx(
          '<row r="1"><c r="A1"><v>4111</v></c><c r="B1"><v>1111</v></c><c r="C1"><v>1111</v></c><c r="D1"><v>1111</v></c></row>',
        ),
      ),
    ),
  xlsxFormulaConst: () =>
    kit.outbound(outboundFile('a.xlsx', xlsx('<row r="1"><c r="A1"><f>340000000000009</f></c></row>'))),
  xlsxFormulaRefs: () =>
    kit.outbound(
      outboundFile(
        'a.xlsx',
        xlsx(
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="str"><f>A1&amp;B1</f></c></row>',
          '<sst><si><t>41111111</t></si><si><t>11111111</t></si></sst>',
        ),
      ),
    ),
  xlsxHalves: () =>
    kit.outbound(
      outboundFile(
        'a.xlsx',
        xlsx('<row r="1"><c r="A1"><v>41111111</v></c><c r="B1"><v>11111111</v></c></row>'),
      ),
    ),
  ibanLetters: () => out('iban GB82 WEST 1234 5698 7654 32'),
  urlFragment: () => out('see https://pay.example/#card=4111111111111111'),
  qpSoft: () =>
    out('card 4111 11=\r\n11 1111 1111', 'text/plain; charset=utf-8', [
      'Content-Transfer-Encoding: quoted-printable',
    ]),
  apostrophe: () => out("card 4111'1111'1111'1111"),
  underscoreIban: () => out('iban GB82_WEST_1234_5698_7654_32'),
  tilde: () => out('card 4111~1111~1111~1111'),
  star: () => out('card 4111*1111*1111*1111'),
  paren: () => out('card (4111)(1111)(1111)(1111)'),
  braces: () => out('card {4111}{1111}{1111}{1111}'),
  bullet: () => out('card 4111•1111•1111•1111'),
  middot: () => out('card 4111·1111·1111·1111'),
  mdBold: () => out('card **4111** **1111** **1111** **1111**'),
};

describe('A79 held: already refused before round 79', () => {
  for (const [name, run] of Object.entries(probes))
    it(`bounces ${name}`, async () => {
      expect(await run()).toBe('BOUNCE');
    });
});
