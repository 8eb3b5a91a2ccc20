import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MessageLimitError } from './limits.js';
import { LazyMessage } from './message.js';

const CRLF = '\r\n';
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.from('fake exe')]);
const plain = [
  'From: =?UTF-8?Q?J=C3=B6rg?= <jorg@sender.example>',
  'To: Team <team@corp.example>, "Doe, Jane" <jane@corp.example>',
  'Cc: undisclosed:;',
  'Reply-To: other@elsewhere.example',
  'Subject: =?UTF-8?B?SGVsbG8gV8O2cmxk?=',
  '  continued',
  'Authentication-Results: evil.example; dkim=pass; spf=pass',
  'Authentication-Results: amazonses.com; spf=pass (spfCheck: ok) smtp.mailfrom=sender.example;',
  ' dkim=fail header.d=sender.example; dmarc=fail (p=REJECT) header.from=sender.example',
  'X-SES-Spam-Verdict: PASS',
  'X-SES-Virus-Verdict: FAIL',
  'Date: Tue, 24 Nov 2026 10:00:00 +0000',
  'Message-ID: <1@sender.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=FC=DFe, URGENT WIRE TRANSFER needed',
  '--b1',
  'Content-Type: application/octet-stream',
  "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf.exe",
  'Content-Transfer-Encoding: base64',
  '',
  EXE.toString('base64'),
  '--b1--',
  '',
].join(CRLF);

/** A source that counts what it hands out, chunk by chunk, like a network stream. */
function source(bytes: Buffer, chunkSize = 16 * 1024) {
  const stats = { opens: 0, sent: 0 };
  const open = async () => {
    stats.opens++;
    return Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += chunkSize) {
          const chunk = bytes.subarray(i, i + chunkSize);
          stats.sent += chunk.length;
          yield chunk;
        }
      })(),
    );
  };
  return { open, stats };
}

describe('LazyMessage', () => {
  it('decodes subject and address headers from the header block', async () => {
    const message = new LazyMessage(source(Buffer.from(plain)).open);
    const h = await message.headers();
    expect(h.subject).toBe('Hello Wörld continued');
    expect(h.from).toEqual([{ name: 'Jörg', address: 'jorg@sender.example' }]);
    expect(h.to.map((a) => a.address)).toEqual(['team@corp.example', 'jane@corp.example']);
    expect(h.to[1]?.name).toBe('Doe, Jane');
    expect(h.cc).toEqual([]);
    expect(h.replyTo[0]?.address).toBe('other@elsewhere.example');
    expect(h.all('AUTHENTICATION-RESULTS')).toHaveLength(2);
    expect(h.get('x-missing')).toBeUndefined();
  });

  it('trusts only the Authentication-Results of the trusted service', async () => {
    const message = new LazyMessage(source(Buffer.from(plain)).open);
    const v = await message.authVerdicts();
    expect(v).toMatchObject({ authServId: 'amazonses.com', spf: 'pass', dkim: 'fail', dmarc: 'fail' });
    expect(v).toMatchObject({ sesSpam: 'PASS', sesVirus: 'FAIL' });
    expect(v.methods[0]?.props['smtp.mailfrom']).toBe('sender.example');
    expect((await message.authVerdicts(['evil.example'])).dkim).toBe('pass');
  });

  it('reads only the header block of a large message for a header-only rule', async () => {
    const body = Buffer.alloc(25 * 1024 * 1024, 'a');
    const big = Buffer.concat([Buffer.from(`Subject: big${CRLF}From: a@b.example${CRLF}${CRLF}`), body]);
    const { open, stats } = source(big);
    const message = new LazyMessage(open);
    expect((await message.headers()).subject).toBe('big');
    expect(stats.sent).toBeLessThanOrEqual(16 * 1024);
    await message.close();
  });

  it('shares one fetch among every reader, spilling past the memory bound', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    bytes.write(`Subject: s${CRLF}${CRLF}`);
    const { open, stats } = source(bytes);
    const tempDir = await mkdtemp(join(tmpdir(), 'wmflow-test-'));
    const message = new LazyMessage(open, { memoryBytes: 1024 * 1024, tempDir });
    const [a, b] = await Promise.all([message.bytes(), message.bytes()]);
    const hash = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    expect(hash(a)).toBe(hash(bytes));
    expect(hash(b)).toBe(hash(bytes));
    expect(stats.opens).toBe(1);
    expect(stats.sent).toBe(bytes.length);
    await message.close();
    expect(await readdir(tempDir)).toEqual([]);
    await rm(tempDir, { recursive: true });
  });

  it('stops a large transfer after a header read, then downloads the message in full once', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 'x');
    bytes.write(`Subject: s${CRLF}${CRLF}`);
    const { open, stats } = source(bytes);
    const message = new LazyMessage(open);
    expect((await message.headers()).subject).toBe('s');
    expect(stats.sent).toBe(16 * 1024);
    const whole = await message.bytes();
    expect(whole.equals(bytes)).toBe(true);
    expect(stats.opens).toBe(2);
    expect(stats.sent).toBe(16 * 1024 + bytes.length);
    await message.close();
  });

  it('keeps one transfer for a small message a header read precedes', async () => {
    const bytes = Buffer.alloc(200 * 1024, 'y');
    bytes.write(`Subject: small${CRLF}${CRLF}`);
    const { open, stats } = source(bytes);
    const announced = async () => Object.assign(await open(), { contentLength: bytes.length });
    const message = new LazyMessage(announced);
    await message.headers();
    expect((await message.bytes()).equals(bytes)).toBe(true);
    expect(stats.opens).toBe(1);
    expect(stats.sent).toBe(bytes.length);
  });

  it('parses bodies and attachments with decoded names, sniffed types and hashes', async () => {
    const message = new LazyMessage(source(Buffer.from(plain), 64).open);
    const parsed = await message.parsed();
    expect(parsed.text).toContain('Grüße, URGENT WIRE TRANSFER');
    expect(parsed.attachments).toEqual([
      expect.objectContaining({
        filename: 'résumé.pdf.exe',
        sniffedType: 'application/x-msdownload',
        size: 12,
        sha256: createHash('sha256').update(EXE).digest('hex'),
      }),
    ]);
    expect(await message.parsed()).toBe(parsed);
  });

  it('describes attachments inside attached messages, with their depth and container', async () => {
    const inner = [
      'From: x@partner.example',
      'Subject: inner',
      'Content-Type: multipart/mixed; boundary=i',
      '',
      '--i',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--i',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="tool.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      EXE.toString('base64'),
      '--i--',
      '',
    ].join(CRLF);
    const outer = [
      'From: y@partner.example',
      'Subject: fwd',
      'Content-Type: multipart/mixed; boundary=o',
      '',
      '--o',
      'Content-Type: text/plain',
      '',
      'forwarding',
      '--o',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment; filename="fwd.eml"',
      '',
      inner,
      '--o--',
      '',
    ].join(CRLF);
    const parsed = await new LazyMessage(source(Buffer.from(outer)).open).parsed();
    expect(parsed.attachments.map((a) => [a.filename, a.depth, a.container, a.sniffedType])).toEqual([
      ['tool.exe', 1, 'fwd.eml', 'application/x-msdownload'],
      ['fwd.eml', 0, undefined, undefined],
    ]);
  });

  it('measures the message size and decodes every occurrence of a header', async () => {
    const message = new LazyMessage(source(Buffer.from(plain), 100).open);
    expect(await message.size()).toBe(Buffer.byteLength(plain));
    const h = await new LazyMessage(
      source(Buffer.from('X-T: =?UTF-8?Q?a=C3=A9?=\r\nX-T: b\r\n\r\n')).open,
    ).headers();
    expect(h.decodedAll('x-t')).toEqual(['aé', 'b']);
  });

  it('fails with a typed error on a header block without end beyond the limit', async () => {
    const endless = Buffer.from(`X-A: ${'a'.repeat(3000)}`);
    const message = new LazyMessage(source(endless, 100).open, { limits: { maxHeaderBytes: 1000 } });
    await expect(message.headers()).rejects.toBeInstanceOf(MessageLimitError);
  });

  it('refuses to read whole or parse a message over the size limit', async () => {
    const bytes = Buffer.from(`Subject: x${CRLF}${CRLF}${'y'.repeat(5000)}`);
    const message = new LazyMessage(source(bytes, 512).open, { limits: { maxMessageBytes: 4096 } });
    await expect(message.bytes()).rejects.toMatchObject({
      name: 'MessageLimitError',
      limit: 'maxMessageBytes',
    });
    await expect(message.parsed()).rejects.toMatchObject({ limit: 'maxMessageBytes' });
  });

  it('refuses to parse too many parts or too deep nesting', async () => {
    const many = [
      'Content-Type: multipart/mixed; boundary=z',
      '',
      ...Array.from({ length: 50 }, () => '--z\r\n\r\nx'),
      '--z--',
    ].join(CRLF);
    const manyMsg = new LazyMessage(source(Buffer.from(many)).open, { limits: { maxParts: 20 } });
    await expect(manyMsg.parsed()).rejects.toMatchObject({ limit: 'maxParts' });
    let deep = 'leaf';
    for (let i = 0; i < 40; i++)
      deep = `Content-Type: multipart/mixed; boundary=b${i}${CRLF}${CRLF}--b${i}${CRLF}${deep}${CRLF}--b${i}--`;
    const deepMsg = new LazyMessage(source(Buffer.from(deep)).open, { limits: { maxDepth: 10 } });
    await expect(deepMsg.parsed()).rejects.toMatchObject({ limit: 'maxDepth' });
  });

  it('treats a message with no blank line as all header, and refuses an empty one: a read that went wrong', async () => {
    expect((await new LazyMessage(source(Buffer.from('Subject: only')).open).headers()).subject).toBe('only');
    const empty = new LazyMessage(source(Buffer.alloc(0)).open);
    await expect(empty.headers()).rejects.toMatchObject({ name: 'MessageReadError', reason: 'empty' });
    await expect(empty.parsed()).rejects.toMatchObject({ reason: 'empty' }); // and stays refused
    await expect(new LazyMessage(source(Buffer.alloc(0)).open).bytes()).rejects.toMatchObject({
      reason: 'empty',
    });
  });
});
