import { deflateSync } from 'node:zlib';
import { pdfFile, pdfObjects, zipFile } from '@wmflow/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP and PDFs, the most common attachment: their pages' text is read (Identity-H glyph strings through
// the font's ToUnicode map, as LibreOffice, Word and Chrome export), wherever they are carried. A PDF that cannot
// be read whole, or that hits a bound, is refused (not knowing is not allowing); an encrypted one is refused
// unless ALLOW_ENCRYPTED_ARCHIVES sends encrypted content unread.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const STATEMENT = pdfFile([`Statement for Bob\nCard on file: ${CARD}`], { kerned: true });
const CLEAN = pdfFile(['Statement for Bob\nNothing is due this month.'], { kerned: true });

afterEach(() => {
  vi.restoreAllMocks();
});

// What the function logs while it decides (Powertools writes JSON lines: warnings to stderr, the rest to stdout).
async function logged(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  await run();
  vi.restoreAllMocks();
  return lines.join('');
}

describe('outbound-policy: PDF attachments', () => {
  it('bounces a PDF with a card number in a compressed Identity-H stream; sends it without one', async () => {
    expect(await kit.outbound(outboundFile('statement.pdf', STATEMENT, 'application/pdf'))).toBe('BOUNCE');
    expect(await kit.outbound(outboundFile('statement.pdf', CLEAN, 'application/pdf'))).toBe('DEFAULT');
  });

  it('reads a PDF inside a zip', async () => {
    const zip = zipFile([{ name: 'docs/statement.pdf', data: STATEMENT }]);
    expect(await kit.outbound(outboundFile('docs.zip', zip, 'application/zip'))).toBe('BOUNCE');
    const clean = zipFile([{ name: 'docs/statement.pdf', data: CLEAN }]);
    expect(await kit.outbound(outboundFile('docs.zip', clean, 'application/zip'))).toBe('DEFAULT');
  });

  it('refuses a corrupt PDF, logging why', async () => {
    const corrupt = Buffer.concat([STATEMENT.subarray(0, 200), Buffer.from('\0\0 cut here')]);
    let verdict: string | undefined;
    const log = await logged(async () => {
      verdict = await kit.outbound(outboundFile('statement.pdf', corrupt, 'application/pdf'));
    });
    expect(verdict).toBe('BOUNCE');
    expect(log).toMatch(
      /statement\.pdf.{0,4}: PDF not read \(the page tree names object 6, which is not in the file\)/,
    );
  });

  it('refuses an encrypted PDF by default; ALLOW_ENCRYPTED_ARCHIVES=true sends it', async () => {
    const locked = outboundFile(
      'statement.pdf',
      pdfFile([CARD], { userPassword: 'secret' }),
      'application/pdf',
    );
    expect(await kit.outbound(locked)).toBe('BOUNCE');
    expect(await kit.outbound(locked, { ALLOW_ENCRYPTED_ARCHIVES: 'true' })).toBe('DEFAULT');
  });

  it('reads a PDF that opens without a password (owner password only), even where encrypted content may go', async () => {
    const restricted = pdfFile([`Statement for Bob\nCard on file: ${CARD}`], { userPassword: '' });
    const file = outboundFile('statement.pdf', restricted, 'application/pdf');
    expect(await kit.outbound(file)).toBe('BOUNCE');
    expect(await kit.outbound(file, { ALLOW_ENCRYPTED_ARCHIVES: 'true' })).toBe('BOUNCE');
    const clean = outboundFile(
      'statement.pdf',
      pdfFile(['Nothing is due.'], { userPassword: '' }),
      'application/pdf',
    );
    expect(await kit.outbound(clean)).toBe('DEFAULT');
  });

  it('ends hostile PDFs at a bound with a refusal: a Flate bomb, a self-reference, 100,000 pages', async () => {
    const onePage = (stream: Buffer) =>
      pdfObjects([
        { body: '<< /Type /Catalog /Pages 2 0 R >>' },
        { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
        { body: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>' },
        { body: '<< /Filter /FlateDecode >>', stream },
      ]);
    const bomb = onePage(deflateSync(Buffer.alloc(64 * 1024 * 1024)));
    const selfRef = pdfObjects([{ body: '<< /Type /Catalog /Pages 2 0 R >>' }, { body: '2 0 R' }]);
    const pages = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      {
        body: `<< /Type /Pages /Kids [${Array.from({ length: 100_000 }, (_, i) => `${i + 3} 0 R`).join(' ')}] >>`,
      },
      ...Array.from({ length: 100_000 }, () => ({ body: '<<>>' })),
    ]);
    for (const [name, pdf, why] of [
      ['bomb.pdf', bomb, /inflates past 10485760 decoded bytes/],
      ['self.pdf', selfRef, /references chained more than 32 deep/],
      ['pages.pdf', pages, /more than 10000 pages/],
    ] as const) {
      let verdict: string | undefined;
      const log = await logged(async () => {
        verdict = await kit.outbound(outboundFile(name, pdf, 'application/pdf'));
      });
      expect(verdict, name).toBe('BOUNCE');
      expect(log, name).toMatch(why);
    }
  });
});
