import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { DOCX, docxOf, fieldBegin, fieldEnd, instrRun } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-3: a field whose keyword another field builds. Word computes a nested field inside a
// field's code first and reads its result as code: `{ { QUOTE 68 68 69 65 85 84 79 } c:\\…\\cmd.exe "/k calc" }` is
// a DDEAUTO field (the QUOTE obfuscation of late-2017 DDE maldocs). Round 50 refused a LINK whose source a nested
// field builds, but a keyword so built read as no field at all: delivered.
const kit = attackerKit(useLocalStack());
const separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>';
const QUOTE = 'QUOTE 68 68 69 65 85 84 79';
const ARGS = ' c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" ';
const verdict = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file, DOCX)[0])).verdict;
const rtf = (code: string) =>
  Buffer.from(`{\\rtf1\\ansi Invoice\\par{\\field{\\*\\fldinst {${code}}}{\\fldrslt x}}}`);

describe('A58-3: a field keyword built by a nested field', () => {
  it('refuses a .docx whose field keyword is a QUOTE field', async () => {
    const nested = `${fieldBegin}${instrRun(QUOTE)}${separate}<w:r><w:t>DDEAUTO</w:t></w:r>${fieldEnd}`;
    const doc = docxOf(`<w:p>${fieldBegin}${nested}${instrRun(ARGS)}${fieldEnd}</w:p>`);
    expect(await verdict('Invoice.docx', doc)).toBe('BOUNCE');
  });
  it('refuses an .rtf whose field keyword is a QUOTE field', async () => {
    const code = `{\\field{\\*\\fldinst {${QUOTE}}}{\\fldrslt DDEAUTO}}${ARGS}`;
    expect(await verdict('Invoice.rtf', rtf(code))).toBe('BOUNCE');
  });
  it('(control) delivers an IF field comparing a merge field, and a page number sum', async () => {
    const merge = `${fieldBegin}${instrRun('MERGEFIELD Total')}${separate}<w:r><w:t>5</w:t></w:r>${fieldEnd}`;
    const ifField = `<w:p>${fieldBegin}${instrRun('IF ')}${merge}${instrRun(' > 0 "Due" "Paid"')}${fieldEnd}</w:p>`;
    expect(await verdict('Invoice.docx', docxOf(ifField))).toBe('DEFAULT');
    const page = `${fieldBegin}${instrRun('PAGE')}${separate}<w:r><w:t>1</w:t></w:r>${fieldEnd}`;
    expect(
      await verdict(
        'Invoice.docx',
        docxOf(`<w:p>${fieldBegin}${instrRun('= ')}${page}${instrRun(' + 1')}${fieldEnd}</w:p>`),
      ),
    ).toBe('DEFAULT');
  });
});
