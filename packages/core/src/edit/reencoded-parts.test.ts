import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type MimeNode, Splitter } from '@zone-eu/mailsplit';
import { describe, expect, it } from 'vitest';
import { applyEdits } from './apply-edits.js';
import { type Edit, EditQueue } from './edits.js';

// Fault round 45: a text part the editor re-encodes as quoted-printable (the banner or disclaimer edit, on the
// decoded path or spliced beside bytes that do not decode, or the repair of an over-long 8bit line).
// - F45-1: the part's line breaks were written as real line breaks and `-` as it is, so a line of the decoded
//   text that is a delimiter of an enclosing multipart (data while the part was base64), or one a soft break put
//   at a line start, became MIME structure: the part was cut, and what followed became epilogue or a new part.
// - F45-2: the spliced path wrote the body's lone CR and LF bytes literally (the decoded path a lone CR): a CRLF
//   message with bare line ends, which one reader takes for a line end and another does not.
// - F45-5: the spliced bottom disclaimer trimmed trailing white space with a regex quadratic in the length of a
//   white-space run that is not at the end: the edit blocked the event loop for seconds (120 kB) to days (10 MiB).

const CRLF = '\r\n';

/** A message with the extra header lines and body given. */
function mail(headerLines: readonly string[], body: Buffer | string): Buffer {
  const head = [
    'From: Sender <sender@external.example>',
    'To: user@corp.example',
    'Subject: numbers',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <m1@external.example>',
    'MIME-Version: 1.0',
    ...headerLines,
  ].join(CRLF);
  return Buffer.concat([
    Buffer.from(head + CRLF + CRLF),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
  ]);
}

/** A multipart/mixed message (boundary `b`) of one text/plain part holding `payload` as base64. */
function base64Text(payload: Buffer, charset = 'utf-8'): Buffer {
  return mail(
    ['Content-Type: multipart/mixed; boundary="b"'],
    [
      '--b',
      `Content-Type: text/plain; charset=${charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      payload.toString('base64'),
      '--b--',
      '',
    ].join(CRLF),
  );
}

/** The message with a banner (or disclaimer) added by `applyEdits`, its bytes and the changes it reports. */
async function banner(
  message: Buffer,
  text = 'This message came from outside the organization.',
  position: 'top' | 'bottom' = 'top',
) {
  const queue = new EditQueue();
  queue.addDisclaimer({ text, position });
  const result = await applyEdits(Readable.from([message]), queue.edits as Edit[]);
  const bytes = await readFile(result.path);
  await rm(result.path, { force: true });
  return { changes: result.changes, bytes };
}

interface Leaf {
  type: string;
  /** The body as written (transfer-encoded). */
  raw: Buffer;
  /** The body decoded of its transfer encoding. */
  body: Buffer;
}

/** Every leaf part of `bytes` as mailsplit reads it: its type, and its body raw and decoded. */
async function leaves(bytes: Buffer): Promise<Leaf[]> {
  const splitter = new Splitter({ ignoreEmbedded: true });
  const found: { node: MimeNode; chunks: Buffer[] }[] = [];
  splitter.on('data', (data) => {
    if (data.type === 'node') {
      if (!data.multipart) found.push({ node: data, chunks: [] });
    } else if (data.type === 'body') found.find((f) => f.node === data.node)?.chunks.push(data.value);
  });
  const done = finished(splitter);
  splitter.end(bytes);
  await done;
  return Promise.all(
    found.map(async ({ node, chunks }) => {
      const raw = Buffer.concat(chunks);
      const decoder = node.getDecoder();
      const decoded = decoder.toArray();
      decoder.end(raw);
      return { type: String(node.contentType), raw, body: Buffer.concat(await decoded) };
    }),
  );
}

/** Whether `body` ends with `tail`. */
const endsWith = (body: Buffer | undefined, tail: Buffer) =>
  body !== undefined && body.length >= tail.length && body.subarray(body.length - tail.length).equals(tail);

/** The bare CRs and LFs in `raw` (a CR not before an LF, an LF not after a CR). */
function bareLineEnds(raw: Buffer): string[] {
  const found: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0d && raw[i + 1] !== 0x0a) found.push(`bare CR at ${i}`);
    if (raw[i] === 0x0a && raw[i - 1] !== 0x0d) found.push(`bare LF at ${i}`);
  }
  return found;
}

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1').toString('base64');
/** Text holding a delimiter line `--b` and an attachment's headers and body; `stray` adds a byte that does not decode. */
const hidden = (stray: boolean) =>
  Buffer.concat([
    Buffer.from('Please see the invoice.\r\n'),
    stray ? Buffer.from([0xff, 0x0d, 0x0a]) : Buffer.alloc(0),
    Buffer.from(
      [
        '--b',
        'Content-Type: application/octet-stream; name="run.exe"',
        'Content-Disposition: attachment; filename="run.exe"',
        'Content-Transfer-Encoding: base64',
        '',
        EXE,
        '',
      ].join(CRLF),
      'latin1',
    ),
  ]);
const path = (stray: boolean) => (stray ? 'spliced path: a byte that does not decode' : 'decoded path');

describe('F45-1: a delimiter line inside a base64 text part, re-encoded as quoted-printable by the banner edit', () => {
  for (const stray of [true, false])
    it(`keeps the part whole and adds no part (${path(stray)})`, async () => {
      const message = base64Text(hidden(stray));
      expect((await leaves(message)).map((l) => l.type)).toEqual(['text/plain']);
      const { bytes } = await banner(message);
      const after = await leaves(bytes);
      expect(after.map((l) => l.type)).toEqual(['text/plain']);
      expect(endsWith(after[0]?.body, hidden(stray))).toBe(true);
      expect(bytes.toString('latin1')).not.toMatch(/^Content-Disposition: attachment; filename="run\.exe"/m);
    });
});

describe('F45-1b: a soft line break of the quoted-printable wrap puts a delimiter at a line start', () => {
  // No line of the decoded text is a delimiter: `--b--` sits mid-line, at column 76, where the wrap breaks.
  for (const stray of [true, false])
    it(`keeps the part whole (${path(stray)})`, async () => {
      const text = Buffer.concat([
        stray ? Buffer.from([0xff, 0x0d, 0x0a]) : Buffer.alloc(0),
        Buffer.from(`${'x'.repeat(75)}--b--\r\nthe rest of the text\r\n`),
      ]);
      const { bytes } = await banner(base64Text(text));
      const after = await leaves(bytes);
      expect(after.map((l) => l.type)).toEqual(['text/plain']);
      expect(endsWith(after[0]?.body, text)).toBe(true);
      // No encoded line of the rewritten part starts with a '-'.
      expect(
        after[0]?.raw
          .toString('latin1')
          .split(/\r\n/)
          .filter((line) => line.startsWith('-')),
      ).toEqual([]);
    });
});

describe('F45-1c: the repair re-encoding of an 8bit part with a line over 998 octets', () => {
  it('keeps the text/csv attachment whole (no edit touches it, only the repair re-encodes it)', async () => {
    const message = mail(
      ['Content-Type: multipart/mixed; boundary="b"'],
      [
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See the export.',
        '--b',
        'Content-Type: text/csv; charset=utf-8',
        'Content-Disposition: attachment; filename="export.csv"',
        'Content-Transfer-Encoding: 8bit',
        '',
        `${'y'.repeat(1200)}--b--`,
        'the rest of the export',
        '--b--',
        '',
      ].join(CRLF),
    );
    expect((await leaves(message)).map((l) => l.type)).toEqual(['text/plain', 'text/csv']);
    const { bytes, changes } = await banner(message);
    expect(changes.join()).toMatch(/re-encoded text\/csv part as quoted-printable/);
    const after = await leaves(bytes);
    expect(after.map((l) => l.type)).toEqual(['text/plain', 'text/csv']);
    expect(after[1]?.body.toString('latin1')).toBe(`${'y'.repeat(1200)}--b--\r\nthe rest of the export`);
  });
});

describe('F45-2: bytes kept beside the banner are re-encoded without bare CR or LF', () => {
  it('a bare CR before a delimiter-like line: no bare CR in the rewritten part, bytes kept', async () => {
    const payload = Buffer.from('Hello \x81\r--b\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n', 'latin1');
    const { bytes, changes } = await banner(base64Text(payload, 'windows-1252'));
    expect(changes.join()).toMatch(/beside bytes that do not decode/);
    const [part, ...more] = await leaves(bytes);
    expect(more).toEqual([]);
    expect(bareLineEnds(part?.raw ?? Buffer.alloc(0))).toEqual([]);
    expect(endsWith(part?.body, payload)).toBe(true);
  });

  it('LF line ends inside base64: the CRLF message gets no bare LF, bytes kept', async () => {
    const payload = Buffer.from('Line one\nLine two \x81\nLine three\n', 'latin1');
    const { bytes, changes } = await banner(base64Text(payload, 'windows-1252'));
    expect(changes.join()).toMatch(/beside bytes that do not decode/);
    const [part] = await leaves(bytes);
    expect(bareLineEnds(part?.raw ?? Buffer.alloc(0))).toEqual([]);
    expect(endsWith(part?.body, payload)).toBe(true);
  });

  it('(decoded path, same root) a bare CR in a decodable base64 body is not written literally', async () => {
    const payload = Buffer.from(
      'Hello caf\xe9\r--b\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n',
      'latin1',
    );
    const { bytes, changes } = await banner(base64Text(payload, 'windows-1252'));
    expect(changes).toContain('edited text/plain body');
    const [part, ...more] = await leaves(bytes);
    expect(more).toEqual([]);
    expect(bareLineEnds(part?.raw ?? Buffer.alloc(0))).toEqual([]);
  });
});

describe('F45-5: a bottom disclaimer spliced beside bytes that do not decode, after a long white-space run', () => {
  const RUN = 120_000;
  const message = (stray: boolean) =>
    mail(
      ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
      Buffer.concat([
        Buffer.from('Quarterly report\r\n'),
        Buffer.from(' \r\n'.repeat(RUN / 3)),
        Buffer.from('end of report'),
        stray ? Buffer.from([0xff]) : Buffer.alloc(0),
        Buffer.from('\r\n'),
      ]),
    );
  it('gets the disclaimer after the body, its trailing white space trimmed, the stray byte kept', async () => {
    // Linear by construction (asciiTrimmedEnd walks back once); the quadratic regex took about 8 s here. What this
    // asserts is the outcome; time is the bench's business.
    const { changes, bytes } = await banner(message(true), 'Confidential: for the addressee only.', 'bottom');
    expect(changes.join()).toMatch(/beside bytes that do not decode/);
    const text = bytes.toString('latin1').replace(/=\r\n/g, '');
    expect(text).toContain('end of report=FF\r\n\r\nConfidential: for the addressee only.');
    expect(text.trimEnd().endsWith('Confidential: for the addressee only.')).toBe(true);
  }, 120_000);
});
