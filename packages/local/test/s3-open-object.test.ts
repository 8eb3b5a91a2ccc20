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

describe('S3Server.openObject: the store read the Message Flow emulator uses for updates', () => {
  it('reads the bytes a client wrote, under keys of any spelling, and nothing for a missing key', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 7);
    for (const key of ['wmflow-updates/msg-1/u', 'a b/ü+%20.eml']) {
      await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: body }));
      expect((await bytes(await server.openObject('updates', key)))?.equals(body)).toBe(true);
    }
    expect(await server.openObject('updates', 'never/written')).toBeUndefined();
  });
});
