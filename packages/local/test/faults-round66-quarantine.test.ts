import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { wmflow } from './replay-helpers.js';

// Fault round 66: `wmflow quarantine release` under the lead round 61 left. A message stored in parts (ETag `…-N`),
// reviewed, released (its copy's ETag is its bytes' MD5), then replaced under its key: `release --etag <reviewed>`
// said it "changed since it was reviewed", not released, exit 1, of a message delivered whole — the reviewed bytes
// are gone, and the copy's ETag is not the reviewed one. The copy's bytes are now read in the parts a multipart
// upload of that many parts makes (whole MiB, at least S3's 5 MiB) and their ETag computed: the reviewed one is
// `already released`; no match says the copy there cannot be tied to the message reviewed.
// Release copies and never deletes the quarantined object (the quarantine's lifecycle does): no copy-then-delete
// window exists, checked here under two releases at once.
const BUCKET = 'acme-inbound';
const MiB = 1024 * 1024;
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const message = (tag: string, size: number) => {
  const head = Buffer.from(`From: ann@partner.example\r\nSubject: ${tag}\r\n\r\n`);
  return Buffer.concat([head, Buffer.alloc(size - head.length, `${tag} line\r\n`)]);
};
/** Stores `bytes` in parts of `part` bytes, as a large message may be: its ETag `<md5 of md5s>-N`. */
async function putInParts(Key: string, bytes: Buffer, part: number): Promise<string> {
  const s3 = stack.s3;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
  const parts = [];
  for (let at = 0, n = 1; at < bytes.length; at += part, n++) {
    const { ETag } = await s3.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key,
        UploadId,
        PartNumber: n,
        Body: bytes.subarray(at, at + part),
      }),
    );
    parts.push({ ETag, PartNumber: n });
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts: parts } }),
  );
  return done.ETag as string;
}
const put = async (Key: string, Body: Buffer) =>
  (await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))).ETag as string;
const read = async (Key: string) =>
  Buffer.from(
    await (
      (await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body as {
        transformToByteArray(): Promise<Uint8Array>;
      }
    ).transformToByteArray(),
  );
const release = (key: string, etag: string, to = 'delivered/') =>
  wmflow(
    ['quarantine', 'release', `s3://${BUCKET}/${key}`, '--etag', etag, '--to', `s3://${BUCKET}/${to}`],
    stack.env,
  );

describe('F66-3: release --etag of a message stored in parts, released, then replaced under its key', () => {
  it('is `already released`, exit 0: the copy there is the reviewed message, part for part', async () => {
    const reviewed = message('parts', 5 * MiB + 70_000);
    const etag = await putInParts('quarantine/p1', reviewed, 5 * MiB);
    expect(etag).toMatch(/-2"$/);
    const first = await release('quarantine/p1', etag);
    expect([first.code, first.stdout], first.stderr).toEqual([0, expect.stringMatching(/^released: /)]);
    await put('quarantine/p1', message('another', 2_000));
    const again = await release('quarantine/p1', etag);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/^already released: s3:\/\/acme-inbound\/quarantine\/p1 -> /);
    expect((await read('delivered/p1')).equals(reviewed)).toBe(true);
  }, 60_000);

  it('parts of 8 MiB, three of them: the same', async () => {
    const reviewed = message('eight', 16 * MiB + 5);
    const etag = await putInParts('quarantine/p8', reviewed, 8 * MiB);
    expect(etag).toMatch(/-3"$/);
    expect((await release('quarantine/p8', etag)).code).toBe(0);
    await put('quarantine/p8', message('another', 3_000));
    const again = await release('quarantine/p8', etag);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/^already released: /);
  }, 60_000);

  it('held: another message under the delivered name is no proof: not released, exit 1, said so', async () => {
    const reviewed = message('mine', 5 * MiB + 10);
    const etag = await putInParts('quarantine/p2', reviewed, 5 * MiB);
    await put('delivered-2/p2', message('someone else', 5 * MiB + 10));
    await put('quarantine/p2', message('replaced', 1_000));
    const r = await release('quarantine/p2', etag, 'delivered-2/');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not released: it changed since it was reviewed/);
    expect(r.stderr).not.toMatch(/already released/);
  }, 60_000);

  it('held: a message stored whole, released, then replaced: `already released` (its copy has its ETag)', async () => {
    const reviewed = message('whole', 40_000);
    const etag = await put('quarantine/w1', reviewed);
    expect((await release('quarantine/w1', etag)).code).toBe(0);
    await put('quarantine/w1', message('another', 1_000));
    const again = await release('quarantine/w1', etag);
    expect([again.code, again.stdout]).toEqual([0, expect.stringMatching(/^already released: /)]);
  }, 60_000);
});

describe('held: two releases of one message at once', () => {
  it('both exit 0, one `released`; the copy whole; the quarantined object left where it was', async () => {
    const reviewed = message('twice', 5 * MiB + 33_000);
    const etag = await putInParts('quarantine/t1', reviewed, 5 * MiB);
    const runs = await Promise.all([release('quarantine/t1', etag), release('quarantine/t1', etag)]);
    for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
    const said = runs.map((r) => r.stdout.split(':')[0]).sort();
    expect(said[1]).toBe('released');
    expect(['already released', 'released']).toContain(said[0]);
    expect((await read('delivered/t1')).equals(reviewed)).toBe(true);
    const head = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'quarantine/t1' }));
    expect(head.ETag).toBe(etag);
  }, 60_000);
});
