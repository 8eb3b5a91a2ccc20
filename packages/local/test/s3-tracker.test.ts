import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { S3Tracker } from '../src/replay/s3-tracker.js';
import { failure } from './helpers.js';

function clientOf(stack: LocalStack, maxAttempts?: number): S3Client {
  return new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

describe('replay: what a message wrote to S3, as the local S3 stored it', () => {
  let stack: LocalStack;
  let tracker: S3Tracker;
  let s3: S3Client;
  beforeAll(async () => {
    stack = await startLocalStack({ buckets: ['updates'] });
    tracker = S3Tracker.start(stack);
    s3 = clientOf(stack);
  });
  afterAll(async () => {
    s3.destroy();
    tracker.close();
    await stack.stop();
  });

  it('records every object written, a large put (Expect: 100-continue) followed by small ones included', async () => {
    const large = Buffer.alloc(2 * 1024 * 1024, 'L');
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/large', Body: large }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/small', Body: 'small' }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'a/small-2', Body: 'small again' }));
    expect(tracker.created()).toEqual([
      { bucket: 'updates', key: 'a/large' },
      { bucket: 'updates', key: 'a/small' },
      { bucket: 'updates', key: 'a/small-2' },
    ]);
    const back = await s3.send(new GetObjectCommand({ Bucket: 'updates', Key: 'a/large' }));
    expect(Buffer.from(await (back.Body as AsBytes).transformToByteArray()).equals(large)).toBe(true);
    expect(tracker.created()).toEqual([]);
  });

  it('leaves out an object deleted again (a staged update discarded), so --out never copies a missing one', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'b/staged', Body: 'staged' }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'b/kept', Body: 'kept' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'updates', Key: 'b/staged' }));
    expect(tracker.created()).toEqual([{ bucket: 'updates', key: 'b/kept' }]);
  });

  it('records a copy under its new key and a multipart upload under its key (the request names only the upload)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'c/source', Body: 'to copy' }));
    tracker.created();
    await s3.send(
      new CopyObjectCommand({ Bucket: 'updates', Key: 'c/copy', CopySource: 'updates/c/source' }),
    );
    const body = Buffer.alloc(6 * 1024 * 1024, 'M');
    await new Upload({
      client: s3,
      params: { Bucket: 'updates', Key: 'c/multipart', Body: body },
      partSize: 5 * 1024 * 1024,
    }).done();
    expect(tracker.created()).toEqual([
      { bucket: 'updates', key: 'c/copy' },
      { bucket: 'updates', key: 'c/multipart' },
    ]);
  });

  it('records nothing for a write S3 refused: a conditional put of an existing key (412)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'd/once', Body: 'first' }));
    tracker.created();
    const refused = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'd/once', Body: 'second', IfNoneMatch: '*' })),
    );
    expect(refused.$metadata?.httpStatusCode).toBe(412);
    expect(tracker.created()).toEqual([]);
  });
});

describe('replay under --faults: an object S3 stored whose answer was lost', () => {
  it('is recorded, though the function saw its write fail', async () => {
    const stack = await startLocalStack({
      buckets: ['journal'],
      faults: { seed: 1, reset: 0, throttle: 0, error: 0, lost: 1, latency: 0 },
    });
    const tracker = S3Tracker.start(stack);
    const s3 = clientOf(stack, 1);
    try {
      const put = failure(s3.send(new PutObjectCommand({ Bucket: 'journal', Key: 'm/1.eml', Body: 'kept' })));
      expect((await put).$metadata?.httpStatusCode).not.toBe(200);
      expect(tracker.created()).toEqual([{ bucket: 'journal', key: 'm/1.eml' }]);
      const stored = await stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: 'm/1.eml' }));
      expect(await (stored.Body as AsBytes).transformToString()).toBe('kept');
    } finally {
      s3.destroy();
      tracker.close();
      await stack.stop();
    }
  });
});

interface AsBytes {
  transformToByteArray(): Promise<Uint8Array>;
  transformToString(): Promise<string>;
}
