import { deflateSync } from 'node:zlib';
import { rule, when } from '@wmflow/core';
import { lambdaContext, mimeMessage, mimeMultipart, mimePart, pdfObjects } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { bounceWith } from '../verdicts/index.js';
import { containsSensitiveData } from './index.js';

// The readers of message content are synchronous: while one runs, the deadline guard's timer cannot fire, so a
// message built to be slow to read would make the answer late (WorkMail then retries and applies the rule's
// fallback). Rules see the deadline (ctx.deadline); the DLP's readers stop shortly before it, and what they have
// not read makes the message undecided, which a protection refuses, saying why.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const MB = 1024 * 1024;

// A small PDF slow to read: a page drawing four times a form of `formBytes` of `(a)Tj` (2 MiB: 8 MiB interpreted,
// seconds of synchronous work), within the reader's bounds for a part. No digit anywhere: read whole, it is clean.
function slowPdf(formBytes = 2 * MB): Buffer {
  const form = Buffer.from(`BT /F1 12 Tf ${'(a)Tj '.repeat(Math.floor(formBytes / 6))}ET`);
  return pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>',
    },
    { body: '<< >>', stream: Buffer.from('q /X Do /X Do /X Do /X Do Q') },
    { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
    {
      body: '<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode >>',
      stream: deflateSync(form),
    },
  ]);
}

const withPdfs = (count: number, formBytes?: number) => {
  const pdf = slowPdf(formBytes).toString('base64');
  const parts = Array.from({ length: count }, (_, i) =>
    mimePart(
      [
        `Content-Type: application/pdf; name="report-${i}.pdf"`,
        `Content-Disposition: attachment; filename="report-${i}.pdf"`,
        'Content-Transfer-Encoding: base64',
      ],
      pdf,
    ),
  );
  return mimeMessage(
    mimeMultipart('b', [mimePart(['Content-Type: text/plain'], 'reports attached'), ...parts]),
    ['From: ann@corp.example', 'To: bob@partner.example'],
  );
};

describe('the deadline and synchronous readers', () => {
  it('rules see when the deadline guard answers: the engine limit or the Lambda time, less the margins', async () => {
    const seen: number[] = [];
    const record = rule('record-deadline', (ctx) => {
      seen.push(ctx.deadline - Date.now());
    });
    await h.run([record], 'Subject: hi\r\n\r\nhello', {}, {}, lambdaContext({ timeoutMs: 6000 }));
    await h.run([record], 'Subject: hi\r\n\r\nhello', {}, {}, lambdaContext({ timeoutMs: 60_000 }));
    // 6 s of Lambda time, less the 1 s margin and its half kept for stopping; WorkMail's 15 s, less the same.
    expect(seen[0]).toBeLessThanOrEqual(4500);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBeLessThanOrEqual(13_500);
    expect(seen[1]).toBeGreaterThan(4500);
  });

  it('the DLP stops reading before the deadline and refuses what it did not read, in time and saying why', async () => {
    // Bounds raised so that only time ends the reading: eight such PDFs are far more work than the 4 s given.
    const dlp = containsSensitiveData({ limits: { maxTotalBytes: 1024 * MB } });
    const run = await h.run(
      [when(dlp, bounceWith('Not sent: card numbers, or content that could not be checked.'))],
      withPdfs(8),
      { direction: 'OUTBOUND', recipients: ['bob@partner.example'] },
      {},
      lambdaContext({ timeoutMs: 4000 }),
    );
    expect(run.verdict('bob@partner.example')).toBe(
      'BOUNCE:Not sent: card numbers, or content that could not be checked.',
    );
    // The rule decided: the deadline guard did not have to answer for it.
    expect(run.outcome.deadlineHit).toBe(false);
    const unread = run.logger.lines.find((l) => /could not be read/.test(l.message))?.attributes.unread;
    // Which reading the deadline stops depends on the machine's speed: a PDF part way through, or the walk before
    // the next part (a loaded machine spends the time decoding). Either way the reason is the deadline.
    expect(JSON.stringify(unread)).toMatch(
      /(report-\d\.pdf.{0,4}: PDF not read \(|the rest of the message: )the time to read it ran out/,
    );
  });

  it('one such PDF is read whole when there is time: it is clean', async () => {
    // A quarter of the form (2 MiB interpreted): read whole well within WorkMail's 15 s even on a loaded machine,
    // where the 8 MiB one took more than the 13.5 s left for reading (seen beside two other test runs).
    const dlp = containsSensitiveData();
    const run = await h.run(
      [when(dlp, bounceWith('Not sent.'))],
      withPdfs(1, MB / 2),
      { direction: 'OUTBOUND', recipients: ['bob@partner.example'] },
      {},
      lambdaContext({ timeoutMs: 600_000 }),
    );
    expect(run.verdict('bob@partner.example')).toBe('DEFAULT');
    expect(run.outcome.deadlineHit).toBe(false);
  });
});
