import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkUpdate } from '../mime/update-check.js';
import { applyEdits } from './apply-edits.js';
import type { Edit } from './edits.js';

const TAG: Edit[] = [
  { kind: 'prefix-subject', prefix: '[EXTERNAL]' },
  { kind: 'disclaimer', disclaimer: { text: 'Outside mail', position: 'top', dedupe: 'none' } },
];
const context = {
  receivedAt: new Date(Date.UTC(2026, 10, 29, 12, 0, 0)),
  mailFrom: 'sender@outside.example',
};

async function repaired(message: string) {
  const original = Buffer.from(message, 'latin1');
  const applied = await applyEdits(Readable.from([original]), TAG, { repair: context });
  try {
    const bytes = await readFile(applied.path);
    return {
      bytes: bytes.toString('latin1'),
      changes: applied.changes,
      check: await checkUpdate(original, bytes),
    };
  } finally {
    await rm(applied.path, { force: true });
  }
}

describe('edit: repair before refusing', () => {
  it('adds a missing Date from the receipt time and From from the envelope, and lists both', async () => {
    const r = await repaired('Subject: hi\r\nTo: a@corp.example\r\n\r\nbody\r\n');
    expect(r.check).toEqual({ ok: true });
    expect(r.bytes).toContain('From: <sender@outside.example>\r\n');
    expect(r.bytes).toContain('Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n');
    expect(r.changes).toContain('repaired: added Date Sun, 29 Nov 2026 12:00:00 +0000 from the receipt time');
    expect(r.changes).toContain('repaired: added From <sender@outside.example> from the envelope');
  });

  it('drops an mbox From line, ends a header block with no blank line, normalises unknown encodings', async () => {
    const r = await repaired(
      'From someone Tue May 10 11:28:07 2005\nFrom: a@outside.example\nDate: Tue, 10 May 2005 11:28:07 +0000\nSubject: x\nContent-Transfer-Encoding: 8bits\nthis line starts the body\n',
    );
    expect(r.check).toEqual({ ok: true });
    expect(r.changes.join('\n')).toMatch(
      /mbox "From " line[\s\S]*normalised transfer encoding "8bits" to 8bit/,
    );
  });

  it('keeps an obsolete "From  :" field (not an mbox line) and moves a stray line after the field it split', async () => {
    const r = await repaired(
      'From  : John <jdoe@outside.example>\r\nTo    : Mary Smith\r\n__\r\n   <mary@example.net>\r\nDate  : Fri, 21 Nov 1997 09:55:06 -0600\r\nSubject : hi\r\n\r\nbody\r\n',
    );
    expect(r.check).toEqual({ ok: true });
    expect(r.bytes).toMatch(/^From {2}: John/);
    expect(r.changes).toContain(
      'repaired: moved a malformed header line to X-Wmflow-Unparsed at the end of the header',
    );
  });

  it('names what no repair may fix: 8-bit bytes in an immutable header', async () => {
    const original = Buffer.from(
      'From: J\xc3\xb6hn <j@outside.example>\r\nDate: Tue, 10 May 2005 11:28:07 +0000\r\nSubject: x\r\n\r\nhi\r\n',
      'latin1',
    );
    const applied = await applyEdits(Readable.from([original]), TAG, { repair: context });
    await rm(applied.path, { force: true });
    expect(applied.skipped).toContain(
      'not repaired: 8-bit bytes in from: no repair may change it (WorkMail forbids changing from)',
    );
  });

  it('closes multiparts left open or closed by their parent, and fills an empty one', async () => {
    const head = 'From: a@outside.example\r\nDate: Tue, 10 May 2005 11:28:07 +0000\r\nSubject: x\r\n';
    const r = await repaired(
      `${head}Content-Type: multipart/mixed; boundary="o"\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhello\r\n--o\r\nContent-Type: multipart/mixed; boundary="e"\r\n\r\n--e--\r\n`,
    );
    expect(r.check).toEqual({ ok: true });
    expect(r.changes.filter((c) => c.startsWith('repaired: closed multipart'))).toHaveLength(2);
    expect(r.changes).toContain('repaired: added an empty part to multipart "e"');
  });

  it('folds malformed header lines, encodes 8-bit editable headers and re-wraps broken base64', async () => {
    const r = await repaired(
      'From: a@outside.example\r\nDate: Tue, 10 May 2005 11:28:07 +0000\r\nReferences: <a@b>\r\nsomething@bar.net>\r\nSubject: Caf\xc3\xa9\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8g\r\n... junk goes here ...\r\nd29ybGQ=\r\n',
    );
    expect(r.check).toEqual({ ok: true });
    expect(r.changes).toContain('repaired: folded a malformed line into references');
    expect(r.changes).toContain('repaired: encoded 8-bit text in subject');
  });
});
