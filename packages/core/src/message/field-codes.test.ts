import { describe, expect, it } from 'vitest';
import { fieldSources, rtfFieldInstructions, wordFieldInstructions } from './field-codes.js';

describe('field codes', () => {
  it('joins a field cut across runs and reads fldSimple instructions', () => {
    const xml =
      '<w:instrText>DD</w:instrText><w:instrText xml:space="preserve">EAUTO x</w:instrText><w:fldSimple w:instr="INCLUDETEXT &quot;a.hta&quot;"/>';
    expect(wordFieldInstructions(xml)).toEqual(['INCLUDETEXT "a.hta"', 'DDEAUTO x']);
  });
  it('reads an RTF field instruction without its control words', () => {
    expect(
      rtfFieldInstructions('{\\field{\\*\\fldinst {\\b LINK} Package "C:\\\\\\\\a.exe"}}{\\fldrslt x}}'),
    ).toEqual(['LINK Package "C:\\\\a.exe"']);
  });
  it('names linked files, pictures apart, and a program run', () => {
    expect(
      fieldSources([
        'LINK Excel.Sheet.12 "C:\\\\q3\\\\book.xlsx" "Sheet1!R1C1"',
        'INCLUDEPICTURE "http://c/l.png"',
      ]),
    ).toEqual({
      files: [
        { path: 'C:\\q3\\book.xlsx', picture: false },
        { path: 'http://c/l.png', picture: true },
      ],
    });
    expect(fieldSources(['DDEAUTO c:\\\\x.exe "/k"']).runs).toBe('DDEAUTO');
    expect(fieldSources(['HYPERLINK "http://x/setup.exe"'])).toEqual({ files: [] });
  });
  it('reads code runs as XML readers do, tabs as spaces, and marks a nested field (attacker round 50)', () => {
    const run = (t: string) => `<w:r><w:instrText>${t}</w:instrText></w:r>`;
    const begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>';
    const end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(
      wordFieldInstructions(
        `${begin}${run('DD<!-- x -->E<![CDATA[AUTO]]>')}<w:r><w:tab/></w:r>${run('c:')}${end}`,
      ),
    ).toEqual(['DDEAUTO c:']);
    const nested = `${begin}${run('LINK Package "')}${begin}${run('QUOTE 92')}${end}${run('" ""')}${end}`;
    const sources = fieldSources(wordFieldInstructions(nested));
    expect(sources.built).toContain('LINK Package');
    expect(wordFieldInstructions('<é:instrText>DDEAUTO x</é:instrText>')).toEqual(['DDEAUTO x']);
  });
  it('reads RTF Unicode escapes with their fallbacks skipped, and \\tab as a space', () => {
    expect(rtfFieldInstructions('{\\field{\\*\\fldinst {\\uc1\\u68 x\\u68 x\\u69 xAUTO\\tab c:}}}')).toEqual([
      'DDEAUTO c:',
    ]);
    expect(fieldSources(['DDEAUTOc:\\x.exe']).runs).toBe('DDEAUTO');
  });
});
