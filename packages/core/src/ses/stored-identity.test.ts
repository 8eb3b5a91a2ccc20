import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkStoredIdentity, StoredMessageMismatchError } from './stored-identity.js';

/** `text` read through the check in chunks of `size` bytes: what came out, or the error. */
async function read(text: string, expected: string | undefined, size = 7): Promise<string | Error> {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size),
  );
  const checked = checkStoredIdentity(
    Object.assign(Readable.from(chunks), { contentLength: bytes.length }),
    expected,
    's3://b/k',
    1024,
  );
  expect(checked.contentLength).toBe(bytes.length);
  const out: Buffer[] = [];
  try {
    for await (const chunk of checked) out.push(chunk as Buffer);
    return Buffer.concat(out).toString();
  } catch (error) {
    return error as Error;
  }
}

describe('checkStoredIdentity', () => {
  const mail = (id: string, nl = '\r\n') => `From: a@b.example${nl}Message-ID: ${id}${nl}${nl}body${nl}`;

  it('passes the receipt’s message on byte for byte, the header block across chunks, CRLF or LF', async () => {
    for (const nl of ['\r\n', '\n']) expect(await read(mail('<x@y>', nl), '<x@y>')).toBe(mail('<x@y>', nl));
    expect(await read(mail('<x@y>'), 'x@y', 1)).toBe(mail('<x@y>'));
  });

  it('fails with a StoredMessageMismatchError on another Message-ID, before passing any byte', async () => {
    const got = await read(mail('<other@y>'), '<x@y>');
    expect(got).toBeInstanceOf(StoredMessageMismatchError);
    expect((got as Error).message).toContain('<other@y> is not the receipt');
  });

  it('passes what has nothing to compare: no Message-ID either side, a block past the bound, all headers', async () => {
    expect(await read('From: a@b.example\r\n\r\nbody', '<x@y>')).toBe('From: a@b.example\r\n\r\nbody');
    expect(await read(mail('<other@y>'), undefined)).toBe(mail('<other@y>'));
    const long = `X-Pad: ${'p'.repeat(2048)}\r\nMessage-ID: <other@y>\r\n\r\nbody`;
    expect(await read(long, '<x@y>')).toBe(long);
    expect(await read('Message-ID: <other@y>\r\n', '<x@y>')).toBeInstanceOf(StoredMessageMismatchError);
  });
});
