import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-3 (Word): a card drawn by list numbering. Word draws a numbered paragraph's label (from numbering.xml)
// before its text (in document.xml); the reader reads them apart, so a list that starts at 4111 before the
// paragraph `1111 1111 1111`, or a label `4111 1111 %1` starting at 1111 before `1111`, shows a card no text holds.
const stack = useLocalStack();
const kit = attackerKit(stack);
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const numbered = (text: string, start: number, label: string) =>
  outboundFile(
    'booking.docx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'word/document.xml',
        data: `<w:document xmlns:w="${W}"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
      },
      {
        name: 'word/numbering.xml',
        data: `<w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="${start}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="${label}"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
      },
    ]),
    DOCX,
  );

describe('A44-3: a card shown by Word list numbering', () => {
  it('refuses a list that starts at a card group', async () => {
    expect(await kit.outbound(numbered('1111 1111 1111', 4111, '%1.'))).toBe('BOUNCE');
  });
  it('refuses a label of card groups before its number', async () => {
    expect(await kit.outbound(numbered('1111', 1111, '4111 1111 %1'))).toBe('BOUNCE');
  });
  it('sends an ordinary numbered list (control)', async () => {
    expect(await kit.outbound(numbered('Book the flight', 1, '%1.'))).toBe('DEFAULT');
  });
});
