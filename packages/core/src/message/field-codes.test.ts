import { describe, expect, it } from 'vitest';
import { fieldSources, rtfFieldInstructions, wordFieldInstructions } from './field-codes.js';

describe('field codes', () => {
  it('joins a field cut across runs and reads fldSimple instructions', () => {
    const xml =
      '<w:instrText>DD</w:instrText><w:instrText xml:space="preserve">EAUTO x</w:instrText><w:fldSimple w:instr="INCLUDETEXT &quot;a.hta&quot;"/>';
    expect(wordFieldInstructions(xml)).toEqual(['DDEAUTO x', 'INCLUDETEXT "a.hta"']);
  });
  it('reads an RTF field instruction without its control words', () => {
    expect(
      rtfFieldInstructions('{\\field{\\*\\fldinst {\\b LINK} Package "C:\\\\\\\\a.exe"}}{\\fldrslt x}}'),
    ).toEqual([' LINK Package "C:\\\\a.exe"']);
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
});
