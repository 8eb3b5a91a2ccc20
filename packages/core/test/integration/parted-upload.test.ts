import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3_ACCESS_KEY_ID, type S3Server, startS3Server } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadInParts } from '../../src/s3/parted-upload.js';

// The update upload against the local S3, through a proxy that can fail a chosen part once.
const PART = 5 * 1024 * 1024;
let server: S3Server;
let proxy: Server;
let s3: S3Client;
let failOnce: string | undefined;
/** Sends the next CompleteMultipartUpload on twice, answering with the second answer (the first was lost). */
let completeTwice = false;
/** UploadPart requests are read and never answered (a part in flight when the caller aborts). */
let holdParts = false;
let requests: string[] = [];

beforeAll(async () => {
  server = await startS3Server({ buckets: ['updates'] });
  const upstream = new URL(server.endpoint);
  proxy = createServer((req, res) => void relay(req, res, upstream));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
});
beforeEach(() => {
  failOnce = undefined;
  completeTwice = false;
  holdParts = false;
  requests = [];
});

async function relay(req: IncomingMessage, res: ServerResponse, upstream: URL): Promise<void> {
  const what = `${req.method} ${new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber') ?? ''}`;
  requests.push(what);
  if (failOnce !== undefined && what === failOnce) {
    failOnce = undefined;
    for await (const _ of req);
    res.writeHead(503, { 'content-type': 'application/xml' });
    res.end('<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>');
    return;
  }
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  if (holdParts && req.method === 'PUT' && query.has('partNumber')) {
    // No answer: the client's abort ends the request (its body then errors: aborted).
    req.resume().on('error', () => {});
    return;
  }
  if (completeTwice && req.method === 'POST' && query.has('uploadId')) {
    completeTwice = false;
    const body = Buffer.concat(await req.toArray());
    const first = await forward(req, body, upstream);
    first.resume();
    const second = await forward(req, body, upstream);
    res.writeHead(second.statusCode ?? 502, second.headers);
    second.pipe(res);
    return;
  }
  const out = request({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: req.headers,
    agent: false,
  });
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}

function forward(req: IncomingMessage, body: Buffer, upstream: URL): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      resolve,
    );
    out.on('error', reject);
    out.end(body);
  });
}

/** `bytes` in 64 KiB chunks, optionally failing or stalling after `stopAt` bytes. */
function source(bytes: Buffer, stop?: { at: number; how: 'fail' | 'stall' }): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (stop && at >= stop.at) {
        if (stop.how === 'fail')
          this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return; // stall: never push again
      }
      const chunk = bytes.subarray(at, at + 65_536);
      at += chunk.length;
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
}

async function stored(key: string): Promise<Buffer | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'updates', Key: key }));
    return Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

const settings = (signal = new AbortController().signal) => ({ partSize: PART, parallel: 2, signal });

describe('uploadInParts', () => {
  it('sends a body within one part as one PutObject', async () => {
    const bytes = randomBytes(300_000);
    expect(await uploadInParts(s3, { Bucket: 'updates', Key: 'small' }, source(bytes), settings())).toEqual({
      outcome: 'written',
      size: bytes.length,
    });
    // This client sends a checksum S3 verifies (WHEN_SUPPORTED), so no MD5 vouches for the answer: the object is
    // looked at (fault round 92).
    expect(requests).toEqual(['PUT ', 'HEAD ']);
    expect((await stored('small'))?.equals(bytes)).toBe(true);
  });

  it('starts the multipart upload once the first part is full, and completes a body of exactly one part', async () => {
    const bytes = randomBytes(PART);
    const result = await uploadInParts(s3, { Bucket: 'updates', Key: 'one-part' }, source(bytes), settings());
    expect(result).toEqual({ outcome: 'written', size: PART });
    // The object Complete answered for is looked at (fault round 91): a 200 proves nothing made.
    expect(requests).toEqual(['POST ', 'PUT 1', 'POST ', 'HEAD ']);
    expect((await stored('one-part'))?.equals(bytes)).toBe(true);
  });

  it('stores every byte in order across parts, and retries a part that failed once from its chunks', async () => {
    const bytes = randomBytes(3 * PART + 12_345);
    failOnce = 'PUT 2';
    const result = await uploadInParts(s3, { Bucket: 'updates', Key: 'parts' }, source(bytes), settings());
    expect(result).toEqual({ outcome: 'written', size: bytes.length });
    expect(requests.filter((r) => r === 'PUT 2')).toHaveLength(2);
    expect(requests.filter((r) => r.startsWith('PUT ')).length).toBe(5);
    expect((await stored('parts'))?.equals(bytes)).toBe(true);
  });

  it('with ifNoneMatch, finds a taken key "exists" and leaves the first copy, in one part and in several', async () => {
    for (const [key, length] of [
      ['taken-small', 100_000],
      ['taken-parts', 2 * PART + 1],
    ] as const) {
      const first = randomBytes(length);
      const taken = { ...settings(), ifNoneMatch: true };
      expect(await uploadInParts(s3, { Bucket: 'updates', Key: key }, source(first), taken)).toEqual({
        outcome: 'written',
        size: length,
      });
      const second = await uploadInParts(
        s3,
        { Bucket: 'updates', Key: key },
        source(randomBytes(length)),
        taken,
      );
      expect(second).toEqual({ outcome: 'exists', size: length });
      expect((await stored(key))?.equals(first)).toBe(true);
    }
  });

  it('a Complete whose answer was lost and that is sent again (NoSuchUpload) fails transient, naming the case', async () => {
    const bytes = randomBytes(2 * PART + 1);
    completeTwice = true;
    const again = uploadInParts(s3, { Bucket: 'updates', Key: 'lost-complete' }, source(bytes), settings());
    await expect(again).rejects.toMatchObject({ name: 'TransientError' });
    await expect(again).rejects.toThrow(
      /upload is gone \(an earlier Complete whose answer was lost may have made/,
    );
    // The first Complete made the object; the retry of the invocation finds it (or writes it again).
    expect((await stored('lost-complete'))?.equals(bytes)).toBe(true);
  });

  it('leaves no object when the body fails in the middle', async () => {
    const bytes = randomBytes(3 * PART);
    const failed = uploadInParts(
      s3,
      { Bucket: 'updates', Key: 'cut' },
      source(bytes, { at: 2 * PART + 65_536, how: 'fail' }),
      settings(),
    );
    await expect(failed).rejects.toThrow('socket hang up');
    expect(await stored('cut')).toBeUndefined();
    expect(requests).toContain('DELETE '); // AbortMultipartUpload
  });

  it('stops when aborted while the body stalls, and leaves no object', async () => {
    const bytes = randomBytes(3 * PART);
    const controller = new AbortController();
    const stalled = uploadInParts(
      s3,
      { Bucket: 'updates', Key: 'stalled' },
      source(bytes, { at: PART + 65_536, how: 'stall' }),
      settings(controller.signal),
    );
    setTimeout(() => controller.abort(new Error('deadline')), 300);
    await expect(stalled).rejects.toThrow('deadline');
    expect(await stored('stalled')).toBeUndefined();
  });

  it('rejects with the abort reason when aborted while parts are in flight, and leaves no object', async () => {
    holdParts = true;
    const controller = new AbortController();
    const held = uploadInParts(
      s3,
      { Bucket: 'updates', Key: 'held' },
      source(randomBytes(3 * PART)),
      settings(controller.signal),
    );
    held.catch(() => undefined);
    // Both parts' requests sent and unanswered: the abort lands in the SDK's requests, not in a read.
    await expect.poll(() => requests.filter((r) => r.startsWith('PUT ')).length, { timeout: 20_000 }).toBe(2);
    controller.abort(new Error('deadline'));
    await expect(held).rejects.toThrow('deadline');
    expect(requests).toContain('DELETE '); // AbortMultipartUpload
    expect(await stored('held')).toBeUndefined();
  });
});
