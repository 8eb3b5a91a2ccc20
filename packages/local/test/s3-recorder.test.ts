import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { type S3Recorder, startS3Recorder } from '../src/replay/s3-recorder.js';

let stack: LocalStack;
let recorder: S3Recorder;
let s3: S3Client;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'] });
  recorder = await startS3Recorder(stack.env.AWS_ENDPOINT_URL_S3);
  s3 = new S3Client({
    endpoint: recorder.endpoint,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  s3.destroy();
  await recorder.close();
  await stack.stop();
});

describe('replay: S3 recording proxy', () => {
  it('records every object written, a large put (Expect: 100-continue) followed by small ones included', async () => {
    const large = Buffer.alloc(2 * 1024 * 1024, 'L');
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/large', Body: large }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/small', Body: 'small' }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/small-2', Body: 'small again' }));
    expect(recorder.take()).toEqual([
      { bucket: 'updates', key: 'a/large' },
      { bucket: 'updates', key: 'a/small' },
      { bucket: 'updates', key: 'a/small-2' },
    ]);
    const back = await s3.send(new GetObjectCommand({ Bucket: 'updates', Key: 'a/large' }));
    expect(
      Buffer.from(
        await (back.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      ).equals(large),
    ).toBe(true);
    expect(recorder.take()).toEqual([]);
  });

  it('leaves out an object deleted again (a staged update discarded), so --out never copies a missing one', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'b/staged', Body: 'staged' }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'b/kept', Body: 'kept' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'updates', Key: 'b/staged' }));
    expect(recorder.take()).toEqual([{ bucket: 'updates', key: 'b/kept' }]);
  });
});
