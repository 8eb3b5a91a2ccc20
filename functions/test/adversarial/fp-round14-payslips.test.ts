import { pdfFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14: payroll and statements go out as PDFs encrypted with the recipient's password. The DLP
// cannot read one, so at the defaults it is bounced with the unread message (not knowing is not allowing, as for
// an encrypted zip). `ALLOW_ENCRYPTED_ARCHIVES=true` sends it; deploy.md's outbound row did not say it covers PDFs
// (it now does). The setting leaves what can be read checked.
const kit = attackerKit(useLocalStack());

const ENCRYPTED_PDF = Buffer.from(
  [
    '%PDF-1.7',
    '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj',
    '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj',
    '3 0 obj<</Filter/Standard/V 2/R 3/O(abcdefghijklmnopqrstuvwxyz012345)/U(abcdefghijklmnopqrstuvwxyz012345)/P -1044>>endobj',
    'trailer<</Root 1 0 R/Encrypt 3 0 R/ID[<a1b2c3d4><a1b2c3d4>]>>',
    '%%EOF',
    '',
  ].join('\n'),
);
const attached = (name: string, file: Buffer) =>
  `--b\r\nContent-Type: application/pdf; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}\r\n`;
const payslip = (...files: Array<[string, Buffer]>) =>
  mail(
    ['From: Payroll <payroll@corp.example>', MIXED],
    `--b\r\nContent-Type: text/plain\r\n\r\nYour payslip for November is attached; the password is your date of birth.\r\n${files.map(([n, f]) => attached(n, f)).join('')}--b--\r\n`,
  );

describe('FP14 a password-protected payslip PDF', () => {
  it('is bounced at the defaults, with the unread message (decided)', async () => {
    const verdict = await kit.outboundVerdict(payslip(['Payslip 2026-11.pdf', ENCRYPTED_PDF]));
    expect(verdict).toMatchObject({
      type: 'BOUNCE',
      message: expect.stringContaining('could not be checked'),
    });
  });
  it('is sent with ALLOW_ENCRYPTED_ARCHIVES=true', async () => {
    expect(
      await kit.outbound(payslip(['Payslip 2026-11.pdf', ENCRYPTED_PDF]), {
        ALLOW_ENCRYPTED_ARCHIVES: 'true',
      }),
    ).toBe('DEFAULT');
  });
  it('(held) with the setting, a card in a readable PDF beside it is still found', async () => {
    const card = pdfFile(['Card 4111 1111 1111 1111']);
    expect(
      await kit.outboundVerdict(payslip(['Payslip 2026-11.pdf', ENCRYPTED_PDF], ['card.pdf', card]), {
        ALLOW_ENCRYPTED_ARCHIVES: 'true',
      }),
    ).toMatchObject({ type: 'BOUNCE', message: expect.stringContaining('contains payment card') });
  });
});
