import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';
import { releaseMessage } from '../src/quarantine/quarantine.js';

// Fault round 59: `wmflow quarantine release` told a delivered copy from "another message" by its ETag alone. A
// copy's ETag is its source's only when that is the MD5 of its bytes: a message stored in parts (an ETag `…-N`)
// or under SSE-KMS gets another ETag when copied. Released once, its second release, or the SDK's retry of a copy
// whose answer was lost, said the delivery prefix "already holds another message … not released", exit 1 — of
// the very message released. And a HEAD of the delivered key that failed (a 503) was read as "nothing there", so
// a refused copy was reported as the message "changed since it was reviewed", its ETag now the one reviewed.
const BUCKET = 'acme-inbound';
const PART = 5 * 1024 * 1024;
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
const message = (tag: string, size: number) => {
  const head = Buffer.from(`From: ann@partner.example\r\nSubject: ${tag}\r\n\r\n`);
  const body = Buffer.alloc(size - head.length, `${tag} line\r\n`);
  return Buffer.concat([head, body]);
};
/** Stores `bytes` in two parts, as a large message may be: its ETag is `<md5 of md5s>-2`, not its bytes' MD5. */
async function putInParts(Key: string, bytes: Buffer): Promise<string> {
  const s3 = stack.s3;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
  const parts = [];
  for (const [i, piece] of [bytes.subarray(0, PART), bytes.subarray(PART)].entries()) {
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: i + 1, Body: piece }),
    );
    parts.push({ ETag, PartNumber: i + 1 });
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts: parts } }),
  );
  return done.ETag as string;
}
/**
 * A proxy before the local S3 that answers a HEAD of a delivered copy as S3 does for the copy of a message stored in
 * parts: with its bytes' MD5 as its ETag (the local S3 keeps the source's `…-N`).
 */
async function copiesWithTheirOwnEtag(copies: Map<string, Buffer>) {
  const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
  const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
  proxy.decide = (req) => {
    const bytes = copies.get(decodeURIComponent((req.url ?? '').split('?')[0] ?? ''));
    if (req.method !== 'HEAD' || !bytes) return { do: 'forward' };
    return {
      do: 'apply-then-answer',
      status: 200,
      headers: { etag: md5(bytes), 'content-length': String(bytes.length) },
      body: '',
    };
  };
  return proxy;
}
const read = async (Key: string) => {
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  return Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};

describe('quarantine release tells the message released from another by its bytes (fault round 59)', () => {
  it('a message stored in parts, released once, is `already released` the second time', async () => {
    const bytes = message('parts', PART + 4096);
    const etag = await putInParts('quarantine/mp1', bytes);
    expect(etag).toMatch(/-2"$/);
    const from = { bucket: BUCKET, key: 'quarantine/mp1' };
    const to = { bucket: BUCKET, key: 'delivered/' };
    expect((await releaseMessage(stack.s3, from, to)).outcome).toBe('released');
    const proxy = await copiesWithTheirOwnEtag(new Map([[`/${BUCKET}/delivered/mp1`, bytes]]));
    try {
      const s3 = client(proxy.endpoint);
      const copy = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'delivered/mp1' }));
      expect(copy.ETag).not.toBe(etag);
      expect((await releaseMessage(s3, from, to)).outcome).toBe('already released');
      expect((await releaseMessage(s3, from, to, { etag })).outcome).toBe('already released');
    } finally {
      await proxy.close();
    }
    expect((await read('delivered/mp1')).equals(bytes)).toBe(true);
  });

  it('a copy made whose answer was lost: the SDK retries, and the release is not called a clash', async () => {
    const bytes = message('lost', PART + 100);
    await putInParts('quarantine/mp2', bytes);
    const proxy = await copiesWithTheirOwnEtag(new Map([[`/${BUCKET}/delivered/mp2`, bytes]]));
    const heads = proxy.decide;
    try {
      let dropped = false;
      proxy.decide = (req, body) => {
        if (req.method === 'PUT' && req.headers['x-amz-copy-source'] && !dropped) {
          dropped = true;
          return { do: 'apply-then-drop' };
        }
        return heads(req, body);
      };
      const out = await releaseMessage(
        client(proxy.endpoint),
        { bucket: BUCKET, key: 'quarantine/mp2' },
        { bucket: BUCKET, key: 'delivered/' },
      );
      expect(dropped).toBe(true);
      expect(out.outcome).toBe('already released');
    } finally {
      await proxy.close();
    }
    expect((await read('delivered/mp2')).equals(bytes)).toBe(true);
  });

  it('other bytes under the delivered name, of the same size, are still another message: not released', async () => {
    const bytes = message('mine', PART + 64);
    await putInParts('quarantine/mp3', bytes);
    const other = Buffer.from(bytes);
    other[other.length - 3] = 0x21;
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'delivered/mp3', Body: other }));
    const proxy = await copiesWithTheirOwnEtag(new Map([[`/${BUCKET}/delivered/mp3`, other]]));
    try {
      await expect(
        releaseMessage(
          client(proxy.endpoint),
          { bucket: BUCKET, key: 'quarantine/mp3' },
          { bucket: BUCKET, key: 'delivered/' },
        ),
      ).rejects.toThrow(/already holds another message/);
    } finally {
      await proxy.close();
    }
    expect((await read('delivered/mp3')).equals(other)).toBe(true);
  });

  it('a delivered key that cannot be read after a refused copy is said so, not "changed since it was reviewed"', async () => {
    const bytes = Buffer.from('From: a@partner.example\r\nSubject: x\r\n\r\nbody\r\n');
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'quarantine/h1', Body: bytes }));
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'delivered/h1', Body: bytes }));
    const { ETag } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'quarantine/h1' }));
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
    try {
      proxy.decide = (req) =>
        (req.method === 'HEAD' || req.method === 'GET') && (req.url ?? '').includes('/delivered/h1')
          ? { do: 'answer', status: 503, body: '' }
          : { do: 'forward' };
      const s3 = client(proxy.endpoint);
      const release = releaseMessage(
        s3,
        { bucket: BUCKET, key: 'quarantine/h1' },
        { bucket: BUCKET, key: 'delivered/' },
        { etag: ETag as string },
      );
      await expect(release).rejects.toThrow();
      const error = (await release.catch((e: Error) => e)) as Error;
      expect(error.message).not.toMatch(/changed since it was reviewed/);
    } finally {
      await proxy.close();
    }
  });

  it('two releases of one message stored in parts racing: one `released`, the other `already released`, one copy', async () => {
    const bytes = message('race', PART + 10);
    await putInParts('quarantine/mp4', bytes);
    const proxy = await copiesWithTheirOwnEtag(new Map([[`/${BUCKET}/delivered/mp4`, bytes]]));
    try {
      const s3 = client(proxy.endpoint);
      const from = { bucket: BUCKET, key: 'quarantine/mp4' };
      const to = { bucket: BUCKET, key: 'delivered/' };
      const outcomes = await Promise.all([releaseMessage(s3, from, to), releaseMessage(s3, from, to)]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already released', 'released']);
    } finally {
      await proxy.close();
    }
    expect((await read('delivered/mp4')).equals(bytes)).toBe(true);
  });
});
