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
  /** The declared charset, or ''. */
  charset: string;
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
      return {
        type: String(node.contentType),
        charset: String(node.charset || ''),
        raw,
        body: Buffer.concat(await decoded),
      };
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

// Fault round 46: byte order marks against labels, and the spliced banner's test of whether it is already there.

// F46-1: spliceWide (spliced-disclaimer.ts) skips the banner when the body's BYTES contain the banner's UTF-16
// bytes anywhere, at any offset. At an odd offset they are not the banner's characters (a UTF-16 reader pairs the
// bytes differently: CJK noise), so an attacker's body that holds them misaligned gets no banner at all.
const TEXT1 = 'This message came from outside the organization.';
const u16 = (s: string) => Buffer.from(s, 'utf16le');

function body(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xfe]), // UTF-16LE mark (the label says utf-8: the mark wins for a client)
    u16('Please wire the funds today.\r\n'),
    Buffer.from([0x41]), // one byte: what follows is read one byte off
    u16(TEXT1),
    Buffer.from([0x00]), // back in step
    u16('\r\nRegards\r\n'),
  ]);
}

function decodeQp(delivered: Buffer): Buffer {
  const text = delivered.toString('latin1');
  const at = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, at);
  const b = text.slice(at).replace(/^\r?\n\r?\n/, '');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(b, 'base64');
  return Buffer.from(
    b
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  );
}

describe('F46-1: a UTF-16 body holding the banner bytes one byte off', () => {
  for (const position of ['top', 'bottom'] as const) {
    it(`gets the banner a UTF-16 reader sees (${position})`, async () => {
      const msg = mail(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
        `${body().toString('base64')}\r\n`,
      );
      // What a client reads before the edit: no banner.
      expect(body().subarray(2).toString('utf16le')).not.toContain(TEXT1);
      const r = await banner(msg, TEXT1, position);
      const bytes = decodeQp(r.bytes);
      expect(bytes[0]).toBe(0xff);
      expect(bytes.subarray(2).toString('utf16le')).toContain(TEXT1);
    });
  }
});

// F46-2: a byte order mark wins over the transport label for a browser engine (the WHATWG sniff, attacker round
// 53), but only the UTF-16/32 marks are honoured by the editor. A UTF-8 body with its mark, labelled
// iso-8859-1 / windows-1252 (Windows tools write the mark; the label is often wrong), reads as UTF-8 to the
// client. The decoded path decodes it by the label and re-encodes the Latin-1 reading as UTF-8: the mark becomes
// the visible text "ï»¿" and every non-ASCII character is double-encoded. The spliced path (one byte that does not
// decode in the label) puts a top plain-text banner BEFORE the mark, so the mark no longer leads and the client
// falls back to the label: the same mojibake, the banner included.
const TEXT2 = 'This message came from outside the organization.';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What a BOM-honouring client reads: the mark's encoding if the body starts with one, else the label. */
function read2(body: Buffer, charset: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  return new TextDecoder(charset || 'utf-8').decode(body);
}

describe('F46-2: a UTF-8 body with its byte order mark, labelled Latin-1', () => {
  it('HTML, decoded path: the page reads as it did, with the banner', async () => {
    const page = Buffer.concat([
      BOM,
      Buffer.from('<html><body><p>Grüße, Überweisung 500 €</p></body></html>\r\n', 'utf8'),
    ]);
    expect(read2(page, 'windows-1252')).toContain('Grüße, Überweisung 500 €');
    const msg = mail(
      ['Content-Type: text/html; charset=windows-1252', 'Content-Transfer-Encoding: base64'],
      `${page.toString('base64')}\r\n`,
    );
    const r = await banner(msg, TEXT2, 'top');
    const [part] = await leaves(r.bytes);
    const seen = read2((part as Leaf).body, (part as Leaf).charset);
    expect(seen).toContain(TEXT2);
    expect(seen).not.toContain('ï»¿');
    expect(seen).toContain('Grüße, Überweisung 500 €');
  });
  it('plain text, decoded path: the text reads as it did, with the banner', async () => {
    const text = Buffer.concat([BOM, Buffer.from('Grüße, Überweisung 500 €\r\n', 'utf8')]);
    const msg = mail(
      ['Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: base64'],
      `${text.toString('base64')}\r\n`,
    );
    const r = await banner(msg, TEXT2, 'top');
    const [part] = await leaves(r.bytes);
    const seen = read2((part as Leaf).body, (part as Leaf).charset);
    expect(seen).toContain(TEXT2);
    expect(seen).toContain('Grüße, Überweisung 500 €');
  });
  it('plain text, spliced path (a byte windows-1252 does not decode): the mark still leads', async () => {
    // "Ё" is D0 81 in UTF-8; 0x81 does not decode in windows-1252, so the body is spliced, not decoded.
    const text = Buffer.concat([BOM, Buffer.from('Grüße Ёлка, Überweisung 500 €\r\n', 'utf8')]);
    const msg = mail(
      ['Content-Type: text/plain; charset=windows-1252', 'Content-Transfer-Encoding: base64'],
      `${text.toString('base64')}\r\n`,
    );
    const r = await banner(msg, TEXT2, 'top');
    const [part] = await leaves(r.bytes);
    expect(
      (part as Leaf).body.subarray(0, 3).equals(BOM),
      `body starts ${(part as Leaf).body.subarray(0, 12).toString('latin1')}`,
    ).toBe(true);
    const seen = read2((part as Leaf).body, (part as Leaf).charset);
    expect(seen).toContain(TEXT2);
    expect(seen).toContain('Grüße Ёлка, Überweisung 500 €');
  });
});

// F46-3: decodeText (text-codec.ts) lets a UTF-16/32 byte order mark contradict the label only in its unit size:
// a label `utf-16le` on a body whose mark is big-endian (FE FF), or `utf-16be` on FF FE, passes the
// `startsWith('utf16')` test and is decoded by the label, byte-swapped. A client honours the mark and read the
// text as written; after the edit the part is re-encoded as UTF-8 from the swapped reading: every character is
// replaced by another (ASCII becomes CJK), for good.
const TEXT3 = 'This message came from outside the organization.';
const be = (s: string) => Buffer.from(s, 'utf16le').swap16();

function read3(body: Buffer, charset: string): string {
  if (body[0] === 0xfe && body[1] === 0xff) return Buffer.from(body.subarray(2)).swap16().toString('utf16le');
  if (body[0] === 0xff && body[1] === 0xfe) return body.subarray(2).toString('utf16le');
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  return new TextDecoder(charset || 'utf-8').decode(body);
}

describe('F46-3: a UTF-16 body whose mark names the other byte order than its label', () => {
  for (const [label, body] of [
    ['utf-16le', Buffer.concat([Buffer.from([0xfe, 0xff]), be('Please wire the funds today.\r\n')])],
    [
      'utf-16be',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Please wire the funds today.\r\n', 'utf16le')]),
    ],
  ] as const) {
    it(`labelled ${label}: the text reads as it did, with the banner`, async () => {
      expect(read3(body, label)).toContain('Please wire the funds today.');
      const msg = mail(
        [`Content-Type: text/plain; charset=${label}`, 'Content-Transfer-Encoding: base64'],
        `${body.toString('base64')}\r\n`,
      );
      const r = await banner(msg, TEXT3, 'top');
      const [part] = await leaves(r.bytes);
      const seen = read3((part as Leaf).body, (part as Leaf).charset);
      expect(seen).toContain(TEXT3);
      expect(seen).toContain('Please wire the funds today.');
    });
  }
});
