import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, startS3Server } from '../src/index.js';
import { serverS3Client } from './helpers.js';

let server: S3Server;
let s3: S3Client;
beforeAll(async () => {
  server = await startS3Server({ buckets: ['updates'] });
  s3 = serverS3Client(server);
});
afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

async function bytes(source: AsyncIterable<Uint8Array> | undefined): Promise<Buffer | undefined> {
  if (!source) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('S3Server.openObject and readObject: the store reads the Message Flow emulator uses for updates', () => {
  it('reads the bytes a client wrote, under keys of any spelling, and nothing for a missing key', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 7);
    for (const key of ['wmflow-updates/msg-1/u', 'a b/ü+%20.eml']) {
      await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: body }));
      expect((await bytes(await server.openObject('updates', key)))?.equals(body)).toBe(true);
    }
    expect(await server.openObject('updates', 'never/written')).toBeUndefined();
  });

  it('readObject answers the bytes whole up to maxBytes, a stream of the same bytes past it, nothing when missing', async () => {
    const body = randomBytes(2 * 1024 * 1024 + 3);
    const key = 'a b/whole+%20.eml';
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: body }));
    const whole = await server.readObject('updates', key, body.length);
    expect(whole).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(whole as Uint8Array).equals(body)).toBe(true);
    // One byte over the limit: not read whole (the caller stops at its limit while streaming).
    const streamed = await server.readObject('updates', key, body.length - 1);
    expect(streamed).not.toBeInstanceOf(Uint8Array);
    expect((await bytes(streamed as AsyncIterable<Uint8Array>))?.equals(body)).toBe(true);
    expect(await server.readObject('updates', 'never/written', 10)).toBeUndefined();
    expect(await server.readObject('updates', 'never/written/deeper', 10)).toBeUndefined();
  });

  it('never reads an object being stored in part: the old bytes or the new, whole', async () => {
    const size = 24 * 1024 * 1024;
    const key = 'overwritten/u';
    const first = Buffer.alloc(size, 0x61);
    const second = Buffer.alloc(size, 0x62);
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: first }));
    let done = false;
    const write = s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: second })).finally(() => {
      done = true;
    });
    const seen: string[] = [];
    const describe = (bytes: Buffer | undefined) =>
      bytes === undefined
        ? 'none'
        : bytes.equals(first)
          ? 'first'
          : bytes.equals(second)
            ? 'second'
            : `torn (${bytes.length} bytes)`;
    while (!done) {
      const whole = await server.readObject('updates', key, size);
      seen.push(describe(whole === undefined ? undefined : Buffer.from(whole as Uint8Array)));
      seen.push(describe(await bytes(await server.openObject('updates', key))));
    }
    await write;
    seen.push(describe(Buffer.from((await server.readObject('updates', key, size)) as Uint8Array)));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.filter((s) => s !== 'first' && s !== 'second')).toEqual([]);
    expect(seen.at(-1)).toBe('second');
  });
});
