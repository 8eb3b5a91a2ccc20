import { randomBytes } from 'node:crypto';
import { AbortMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { MiB, multipart, sha } from './multipart-helpers.js';

// Faults injected into multipart uploads: what S3 refuses must store nothing, and never another key.
let stack: LocalStack;
let steps: ReturnType<typeof multipart>;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['parts'] });
  steps = multipart(stack, 'parts');
});
afterAll(async () => {
  await stack.stop();
});

const nameOf = (error: unknown) => (error as Error).name;
const create = (key: string) => steps.create(key);
const part = (key: string, uploadId: string, n: number, body: Buffer) => steps.part(key, uploadId, n, body);
const complete = (...args: Parameters<ReturnType<typeof multipart>['complete']>) => steps.complete(...args);
const read = (key: string) => steps.read(key);

describe('S3 harness: multipart uploads under faults', () => {
  it('an aborted upload is gone: Complete and UploadPart answer NoSuchUpload and nothing is stored', async () => {
    const uploadId = await create('f/aborted');
    const etag = await part('f/aborted', uploadId, 1, randomBytes(1000));
    const aborted = await stack.s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'parts', Key: 'f/aborted', UploadId: uploadId }),
    );
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    const late = await complete('f/aborted', uploadId, [{ PartNumber: 1, ETag: etag }]).catch((e) => e);
    expect(nameOf(late)).toBe('NoSuchUpload');
    expect(await read('f/aborted')).toBe('NoSuchKey');
    const latePart = await part('f/aborted', uploadId, 2, randomBytes(10)).catch((e) => e);
    expect(nameOf(latePart)).toBe('NoSuchUpload');
  });

  it('a Complete naming another key than the upload’s stores nothing and cannot bypass If-None-Match', async () => {
    await stack.s3.send(new PutObjectCommand({ Bucket: 'parts', Key: 'f/taken', Body: 'first' }));
    const first = await read('f/taken');
    const uploadId = await create('f/taken');
    const etag = await part('f/taken', uploadId, 1, randomBytes(1000));
    // The condition is checked on the key named, f/free: the upload must not land on f/taken.
    const moved = await complete('f/free', uploadId, [{ PartNumber: 1, ETag: etag }], '*').catch((e) => e);
    expect(nameOf(moved)).toBe('NoSuchUpload');
    expect(await read('f/taken')).toBe(first);
    expect(await read('f/free')).toBe('NoSuchKey');
  });

  it('an upload id that is not one never reaches the store', async () => {
    for (const uploadId of ['../../escape', 'nope']) {
      const error = await part('f/odd-id', uploadId, 1, randomBytes(10)).catch((e) => e);
      expect(nameOf(error), uploadId).toBe('NoSuchUpload');
    }
    expect(await read('f/odd-id')).toBe('NoSuchKey');
  });

  it('a part uploaded again with new bytes: the latest ETag wins, the old one is refused', async () => {
    const uploadId = await create('f/again');
    const old = randomBytes(5 * MiB);
    const oldTag = await part('f/again', uploadId, 1, old);
    const fresh = randomBytes(5 * MiB);
    const freshTag = await part('f/again', uploadId, 1, fresh);
    const tail = randomBytes(300);
    const tailTag = await part('f/again', uploadId, 2, tail);
    const stale = await complete('f/again', uploadId, [
      { PartNumber: 1, ETag: oldTag },
      { PartNumber: 2, ETag: tailTag },
    ]).catch((e) => e);
    expect(nameOf(stale)).toBe('InvalidPart');
    const twice = await complete('f/again', uploadId, [
      { PartNumber: 1, ETag: freshTag },
      { PartNumber: 1, ETag: freshTag },
    ]).catch((e) => e);
    expect(nameOf(twice)).toBe('InvalidPartOrder');
    expect(await read('f/again')).toBe('NoSuchKey');
    await complete('f/again', uploadId, [
      { PartNumber: 1, ETag: freshTag },
      { PartNumber: 2, ETag: tailTag },
    ]);
    expect(await read('f/again')).toBe(sha(Buffer.concat([fresh, tail])));
  });

  it('parts with a gap in their numbers are joined in order, the unlisted ones dropped', async () => {
    const uploadId = await create('f/gap');
    const one = randomBytes(5 * MiB);
    const [a, b, c] = [
      await part('f/gap', uploadId, 1, one),
      await part('f/gap', uploadId, 2, randomBytes(5 * MiB)),
      await part('f/gap', uploadId, 7, Buffer.from('last')),
    ];
    expect(b).not.toBe(a);
    await complete('f/gap', uploadId, [
      { PartNumber: 1, ETag: a },
      { PartNumber: 7, ETag: c },
    ]);
    expect(await read('f/gap')).toBe(sha(Buffer.concat([one, Buffer.from('last')])));
    // Completed: the upload is gone.
    const again = await complete('f/gap', uploadId, [{ PartNumber: 1, ETag: a }]).catch((e) => e);
    expect(nameOf(again)).toBe('NoSuchUpload');
  });

  it('refuses a part under 5 MiB that is not the last (EntityTooSmall), as S3 does, and stores nothing', async () => {
    const uploadId = await create('f/small');
    const small = await part('f/small', uploadId, 1, randomBytes(5 * MiB - 1));
    const last = await part('f/small', uploadId, 2, randomBytes(10));
    const refused = await complete('f/small', uploadId, [
      { PartNumber: 1, ETag: small },
      { PartNumber: 2, ETag: last },
    ]).catch((e) => e);
    expect(nameOf(refused)).toBe('EntityTooSmall');
    expect(await read('f/small')).toBe('NoSuchKey');
    // Alone, the same part is the last one: allowed.
    await complete('f/small', uploadId, [{ PartNumber: 1, ETag: small }]);
    expect(await read('f/small')).not.toBe('NoSuchKey');
  });
});

describe('S3 harness: a part stored while its upload ends', () => {
  it('an UploadPart racing Complete or Abort of its upload never takes the server down nor changes the object', async () => {
    const first = randomBytes(5 * MiB);
    const big = randomBytes(24 * MiB);
    for (const [i, end] of ['complete', 'abort', 'complete', 'abort'].entries()) {
      const key = `f/race-${i}`;
      const uploadId = await create(key);
      const etag = await part(key, uploadId, 1, first);
      // The part is read whole by the front, then stored while the upload ends under it.
      const again = part(key, uploadId, 1, big).catch((e: unknown) => nameOf(e));
      await new Promise((resolve) => setTimeout(resolve, 20 * i));
      const ended =
        end === 'complete'
          ? complete(key, uploadId, [{ PartNumber: 1, ETag: etag }]).then(
              () => 'completed',
              (e: unknown) => nameOf(e),
            )
          : stack.s3
              .send(new AbortMultipartUploadCommand({ Bucket: 'parts', Key: key, UploadId: uploadId }))
              .then(() => 'aborted');
      const outcome = await ended;
      await again;
      const stored = await read(key);
      if (outcome === 'completed') expect(stored, key).toBe(sha(first));
      else expect(stored, `${key} ${outcome}`).toBe('NoSuchKey');
    }
    // Still serving.
    await stack.s3.send(new PutObjectCommand({ Bucket: 'parts', Key: 'f/alive', Body: 'yes' }));
    expect(await read('f/alive')).toBe(sha(Buffer.from('yes')));
  });

  it('a GET racing CompleteMultipartUpload sees no object or all of it, never a join in progress', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(3 * MiB)];
    const { uploadId, etags } = await steps.upload('f/visible', parts);
    let done = false;
    const completing = complete(
      'f/visible',
      uploadId,
      etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
    ).finally(() => {
      done = true;
    });
    const seen = new Set<string>();
    while (!done) seen.add(await read('f/visible'));
    await completing;
    seen.add(await read('f/visible'));
    const whole = sha(Buffer.concat(parts));
    expect([...seen].filter((s) => s !== 'NoSuchKey' && s !== whole)).toEqual([]);
    expect(seen.has(whole)).toBe(true);
  });
});
