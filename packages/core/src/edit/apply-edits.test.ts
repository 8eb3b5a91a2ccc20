import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Splitter } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApplyEditsOptions, applyEdits } from './apply-edits.js';
import { BLOCK_STYLE, PARAGRAPH_STYLE, SPAN_STYLE } from './body-edits.js';
import { type Edit, EditError, EditQueue } from './edits.js';

const DIV = `<div style="${BLOCK_STYLE}">`;
const P = `<p style="${PARAGRAPH_STYLE}"><span style="${SPAN_STYLE}">`;

const CRLF = '\r\n';
const files: string[] = [];
afterEach(async () => {
  await Promise.all(files.splice(0).map((f) => rm(f, { force: true })));
});

async function edit(message: string | Buffer, build: (q: EditQueue) => void, options?: ApplyEditsOptions) {
  const queue = new EditQueue();
  build(queue);
  const source = Readable.from([Buffer.isBuffer(message) ? message : Buffer.from(message)]);
  const result = await applyEdits(source, queue.edits as Edit[], options);
  files.push(result.path);
  return { ...result, bytes: await readFile(result.path) };
}

/** Body bytes of every leaf part, by part number, for byte-identity checks. */
async function partBodies(bytes: Buffer): Promise<Map<string, string>> {
  const splitter = new Splitter({ ignoreEmbedded: true });
  const out = new Map<string, Buffer[]>();
  splitter.on('data', (d) => {
    if (d.type === 'body' && d.node) {
      const key = (d.node.partNr || []).join('.');
      out.set(key, [...(out.get(key) ?? []), d.value as Buffer]);
    }
  });
  const done = finished(splitter);
  splitter.end(bytes);
  await done;
  return new Map([...out].map(([k, v]) => [k, createHash('sha256').update(Buffer.concat(v)).digest('hex')]));
}

const headers = (extra = '') =>
  [
    'From: Sender <sender@external.example>',
    'To: user@corp.example',
    'Subject: Quarterly numbers',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <m1@external.example>',
    'MIME-Version: 1.0',
    extra,
  ]
    .filter(Boolean)
    .join(CRLF);

const plain = `${headers('Content-Type: text/plain; charset=us-ascii')}${CRLF}${CRLF}Hello team,${CRLF}see numbers.${CRLF}`;
const attachment = Buffer.alloc(300_000, 7).toString('base64').replace(/.{76}/g, `$&${CRLF}`);
const mixed = [
  headers('Content-Type: multipart/mixed; boundary="outer"'),
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=FC=DFe aus K=F6ln',
  '--alt',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<html><body class="x"><p>Grüße</p></body></html>').toString('base64'),
  '--alt--',
  '--outer',
  'Content-Type: application/pdf; name="report.pdf"',
  'Content-Disposition: attachment; filename="report.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  attachment,
  '--outer',
  'Content-Type: application/octet-stream',
  "Content-Disposition: attachment; filename*=utf-8''invoice%20%C3%A9.exe",
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('MZ fake').toString('base64'),
  '--outer--',
  'epilogue',
  '',
].join(CRLF);

describe('applyEdits', () => {
  it('prefixes the subject once, even when applied again to its own output', async () => {
    const first = await edit(plain, (q) => q.prefixSubject('[EXT]'));
    expect(first.bytes.toString()).toContain('Subject: [EXT] Quarterly numbers');
    const second = await edit(first.bytes, (q) => q.prefixSubject('[EXT]'));
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.changes).toEqual([]);
  });

  it('encodes non-ASCII header values as encoded words and keeps other headers byte for byte', async () => {
    const { bytes } = await edit(plain, (q) => {
      q.prefixSubject('[EXTERNE]');
      q.addHeader('X-Classification', 'Vertraulich – intern');
      q.setHeader('X-Policy', 'tagged');
      q.removeHeader('X-Absent');
    });
    const text = bytes.toString();
    expect(text).toContain('X-Classification: Vertraulich =?UTF-8?Q?=E2=80=93?= intern\r\n');
    expect(text).toContain('X-Policy: tagged');
    expect(text).toContain('From: Sender <sender@external.example>\r\n');
    expect(text).toContain('Message-ID: <m1@external.example>\r\n');
    expect([...bytes].every((b) => b < 0x80)).toBe(true);
    expect(libmime.decodeWords('Vertraulich =?UTF-8?Q?=E2=80=93?= intern')).toBe('Vertraulich – intern');
  });

  it('refuses header values that would inject headers', () => {
    const q = new EditQueue();
    expect(() => q.addHeader('X-Tag', 'a\r\nBcc: spy@evil.example')).toThrow(EditError);
    expect(() => q.setHeader('Bad Name', 'x')).toThrow(EditError);
    expect(() => q.prefixSubject('[A]\n')).toThrow(EditError);
    expect(q.edits).toEqual([]);
  });

  it('adds a disclaimer to text and HTML bodies and leaves attachments byte-identical', async () => {
    const before = await partBodies(Buffer.from(mixed));
    const { bytes, changes } = await edit(mixed, (q) =>
      q.addDisclaimer({ text: 'External mail: <be careful> & check links', position: 'top' }),
    );
    const after = await partBodies(bytes);
    expect(after.get('2')).toBe(before.get('2'));
    expect(after.get('3')).toBe(before.get('3'));
    expect(after.get('1.1')).not.toBe(before.get('1.1'));
    expect(changes).toEqual(['edited text/plain body', 'edited text/html body']);
    const parsed = await simpleParser(bytes);
    expect(parsed.text?.startsWith('External mail: <be careful> & check links\n\nGrüße aus Köln')).toBe(true);
    expect(parsed.html).toContain(
      `" class="x">${DIV}${P}External mail: &#60;be careful&#62; &#38; check links</span></p></div><p>Grüße</p>`,
    );
    expect(parsed.html).toMatch(/<body style="display:block !important;[^"]*" class="x">/); // round 95
    expect(bytes.toString()).toContain('preamble\r\n--outer');
    expect(bytes.toString()).toContain('--outer--\r\nepilogue');
  });

  it('puts the HTML disclaimer at the end of the body, or the document when there is no body tag', async () => {
    const html = (body: string) =>
      `${headers('Content-Type: text/html; charset=utf-8')}${CRLF}${CRLF}${body}`;
    const withBody = await edit(html('<html><BODY><p>x</p></BODY></html>'), (q) =>
      q.addDisclaimer({ text: 'Bye' }),
    );
    expect((await simpleParser(withBody.bytes)).html).toContain(
      `<p>x</p>${DIV}${P}Bye</span></p></div></BODY>`,
    );
    const bare = await edit(html('<p>x</p>'), (q) => q.addDisclaimer({ text: 'Bye', html: '<b>Bye</b>' }));
    expect((await simpleParser(bare.bytes)).html).toBe(`<p>x</p>${DIV}<b>Bye</b></div>`);
  });

  it('removes matching attachments, leaving a note, and keeps the others', async () => {
    const before = await partBodies(Buffer.from(mixed));
    const { bytes, changes } = await edit(mixed, (q) =>
      q.removeAttachments((p) => p.filename?.endsWith('.exe') === true, 'Removed: executable attachment.'),
    );
    expect(changes).toEqual(['removed attachment invoice é.exe']);
    const after = await partBodies(bytes);
    expect(after.get('2')).toBe(before.get('2'));
    expect(after.get('1.1')).toBe(before.get('1.1'));
    const parsed = await simpleParser(bytes);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    expect(parsed.text).toContain('Removed: executable attachment.');
  });

  it('re-encodes 8-bit and over-long lines that WorkMail would refuse, keeping the meaning', async () => {
    const body = `Grüße ${'x'.repeat(1200)}${CRLF}`;
    const message = Buffer.from(
      `${headers('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit')}${CRLF}${CRLF}${body}`,
    );
    const { bytes, changes } = await edit(message, () => {});
    expect(changes).toEqual(['re-encoded text/plain part as quoted-printable (8-bit content)']);
    expect([...bytes].every((b) => b < 0x80)).toBe(true);
    expect(
      bytes
        .toString()
        .split('\r\n')
        .every((l) => l.length <= 998),
    ).toBe(true);
    expect((await simpleParser(bytes)).text).toBe(body.replace(CRLF, '\n'));
  });

  it('removes its temporary file when the source fails midway', async () => {
    const tempDir = await mkdtemp(join(tmpdir(), 'wmflow-edit-test-'));
    const failing = new Readable({
      read() {
        this.push(Buffer.from(mixed.slice(0, 2000)));
        this.destroy(new Error('network reset'));
      },
    });
    const q = new EditQueue();
    q.prefixSubject('[EXT]');
    await expect(applyEdits(failing, q.edits, { tempDir })).rejects.toThrow('network reset');
    expect(await readdir(tempDir)).toEqual([]);
    await rm(tempDir, { recursive: true });
  });

  it('closes a multipart left open, unless the read had no announced length (it may be cut short)', async () => {
    const open = [
      'From: a@example.com',
      'To: b@example.com',
      'Subject: open',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'first part, and the answer ended here',
      '',
    ].join(CRLF);
    const closed = await edit(open, (q) => q.prefixSubject('[EXT]'));
    expect(closed.bytes.toString()).toContain(`--b1--${CRLF}`);
    const unknown = edit(open, (q) => q.prefixSubject('[EXT]'), { lengthUnknown: true });
    await expect(unknown).rejects.toBeInstanceOf(EditError);
    await expect(unknown).rejects.toThrow(/without an announced length/);
  });

  it('leaves a message no edit touches byte for byte', async () => {
    const { bytes } = await edit(mixed, () => {});
    expect(bytes.equals(Buffer.from(mixed))).toBe(true);
  });

  it('edits only the headers of signed mail by default', async () => {
    const signed = [
      headers('Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary="s"'),
      '',
      '--s',
      'Content-Type: text/plain',
      '',
      'signed text',
      '--s',
      'Content-Type: application/pkcs7-signature; name=smime.p7s',
      'Content-Transfer-Encoding: base64',
      '',
      'AAAA',
      '--s--',
      '',
    ].join(CRLF);
    const result = await edit(signed, (q) => {
      q.prefixSubject('[EXT]');
      q.addDisclaimer({ text: 'disclaimer' });
    });
    expect(result.skipped).toEqual(['text/plain body not edited: it is signed or encrypted']);
    expect(result.bytes.toString()).toContain('Subject: [EXT] Quarterly numbers');
    expect(result.bytes.toString()).toContain('\r\n\r\nsigned text\r\n--s');
    const anyway = await edit(signed, (q) => q.addDisclaimer({ text: 'disclaimer' }), {
      signedContent: 'edit-anyway',
    });
    expect(anyway.bytes.toString()).toContain('disclaimer');
  });

  it('wraps a single body with no text after a disclaimer part, repairing it first (attacker round 55)', async () => {
    const calendar = `${headers(`Content-Type: text/calendar; method=REQUEST${CRLF}Content-Transfer-Encoding: 8bit`)}${CRLF}${CRLF}BEGIN:VCALENDAR${CRLF}${'\u00e9'.repeat(1200)}${CRLF}END:VCALENDAR${CRLF}`;
    const result = await edit(calendar, (q) => q.addDisclaimer({ text: 'note', position: 'top' }));
    const text = result.bytes.toString();
    expect(text).toMatch(/^Content-Type: multipart\/mixed;/m);
    // The long line is re-encoded inside the wrapped part: its headers moved with it, none left on the root.
    expect(text).toMatch(
      /\r\n\r\nnote\r\n--wmflow-wrap-[^\r]*\r\nContent-Type: text\/calendar; method=REQUEST\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBEGIN:VCALENDAR/,
    );
    expect(text.split('Content-Transfer-Encoding').length - 1).toBe(2);
    expect(result.skipped).toEqual([]);
  });

  it('leaves a bare invitation as it is for a footer alone, and says why (a banner wraps it)', async () => {
    const calendar = `${headers('Content-Type: text/calendar; method=REQUEST')}${CRLF}${CRLF}BEGIN:VCALENDAR${CRLF}END:VCALENDAR${CRLF}`;
    const result = await edit(calendar, (q) => q.addDisclaimer({ text: 'note' }));
    expect(result.bytes.toString()).toMatch(/^Content-Type: text\/calendar; method=REQUEST$/m);
    expect(result.skipped).toEqual([
      'disclaimer not added: the message has no text/plain, text/html or enriched body',
    ]);
  });

  it('reports a disclaimer that a multipart with no body text had no place for (attacker round 55)', async () => {
    const message = `${headers('Content-Type: multipart/mixed; boundary="m"')}${CRLF}${CRLF}--m${CRLF}Content-Type: image/png${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}AAAA${CRLF}--m--${CRLF}`;
    const result = await edit(message, (q) => q.addDisclaimer({ text: 'note' }));
    expect(result.skipped).toEqual([
      'disclaimer not added: the message has no text/plain, text/html or enriched body',
    ]);
    expect(result.bytes.toString()).toContain(
      `--m${CRLF}Content-Type: image/png${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}AAAA${CRLF}--m--`,
    );
  });

  it('reports a related whose root is an image, and leaves its unshown HTML resource alone (attacker round 56)', async () => {
    const message = `${headers('Content-Type: multipart/related; boundary="r"')}${CRLF}${CRLF}--r${CRLF}Content-Type: image/png${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}AAAA${CRLF}--r${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>x</p>${CRLF}--r--${CRLF}`;
    const result = await edit(message, (q) => q.addDisclaimer({ text: 'note', position: 'top' }));
    expect(result.skipped).toEqual([
      'disclaimer not added to multipart/related: its root is image/png, which has no text to carry it',
      'disclaimer not added: the message has no text/plain, text/html or enriched body',
    ]);
    expect(result.bytes.toString()).not.toContain('note');
  });

  it("banners the part a related's start names, and an ASCII body labelled UTF-32 (attacker round 56)", async () => {
    const message = `${headers('Content-Type: multipart/related; boundary="r"; start=" <Root>"')}${CRLF}${CRLF}--r${CRLF}Content-Type: text/html${CRLF}Content-ID: <decoy>${CRLF}${CRLF}<p>decoy</p>${CRLF}--r${CRLF}Content-Type: text/html${CRLF}Content-ID: <root>${CRLF}${CRLF}<p>shown</p>${CRLF}--r--${CRLF}`;
    const result = await edit(message, (q) => q.addDisclaimer({ text: 'note', position: 'top' }));
    expect(result.bytes.toString()).toMatch(/<root>[\s\S]*note[\s\S]*shown/);
    const utf32 = `${headers('Content-Type: text/plain; charset=UTF-32LE')}${CRLF}${CRLF}qapla${CRLF}`;
    const ascii = await edit(utf32, (q) => q.addDisclaimer({ text: 'note' }));
    expect(ascii.skipped).toEqual([]);
    expect(ascii.bytes.toString()).toMatch(/charset=utf-8[\s\S]*qapla[\s\S]*note/);
  });

  it('skips body edits of a part in an unknown charset, with the reason, unless its bytes are plain ASCII', async () => {
    for (const body of ['qapl\xe1', 'qa+AGE-pla', 'qa~{pla', 'qa\x1b$Bpla']) {
      const message = `${headers('Content-Type: text/plain; charset=x-klingon')}${CRLF}${CRLF}${body}${CRLF}`;
      const result = await edit(message, (q) => q.addDisclaimer({ text: 'note' }));
      expect(result.skipped, body).toEqual([
        'text/plain body not edited: charset x-klingon unknown, or bytes that do not decode in it',
      ]);
      expect(result.bytes.toString('latin1')).not.toContain('note');
    }
    // Outlook's own label: ASCII reads the same in whatever charset a client picks.
    const ascii = `${headers('Content-Type: text/plain; charset="_autodetect_all"')}${CRLF}${CRLF}qapla${CRLF}`;
    const result = await edit(ascii, (q) => q.addDisclaimer({ text: 'note' }));
    expect(result.skipped).toEqual([]);
    expect(result.bytes.toString()).toMatch(/charset=utf-8[\s\S]*qapla[\s\S]*note/);
  });
});
