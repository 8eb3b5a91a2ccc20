import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, startS3Server } from '../src/s3/s3-server.js';

// A handler run in SAM's container signs with the host's credentials, or SAM's `defaultkey` when there are none
// (adoption walk, session 31: its updates were refused as InvalidAccessKeyId). The local S3 takes any key.
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['updates'] });
});
afterAll(async () => {
  await s3?.close();
});

const client = (accessKeyId: string) =>
  new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId, secretAccessKey: 'defaultsecret' },
  });

describe('the local S3 signs in any access key', () => {
  it("writes and reads with SAM's default credentials, in one request and in parts", async () => {
    const sam = client('defaultkey');
    await sam.send(new PutObjectCommand({ Bucket: 'updates', Key: 'one', Body: 'update' }));
    const got = await sam.send(new GetObjectCommand({ Bucket: 'updates', Key: 'one' }));
    expect(await got.Body?.transformToString()).toBe('update');
    const big = Buffer.alloc(6 * 1024 * 1024, 0x61);
    await new Upload({
      client: client('AKIAHOSTKEYEXAMPLE'),
      params: { Bucket: 'updates', Key: 'big', Body: big },
    }).done();
    const back = await sam.send(new GetObjectCommand({ Bucket: 'updates', Key: 'big' }));
    expect(
      Buffer.from(
        await (back.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      ).equals(big),
    ).toBe(true);
  }, 60_000);
});
