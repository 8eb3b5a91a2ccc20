import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LazyMessage } from '@wmflow/core';
import { S3_ACCESS_KEY_ID, type S3Server, startS3Server } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { uploadHashed } from './upload.js';

// The streamed PutObject under faults placed at exact moments by a scripted proxy in front of the local S3.
type Act = 'forward' | 'throttle' | 'lose-answer' | 'cut-body' | 'stream' | 'early-412';
let s3server: S3Server;
let proxy: Server;
let s3: S3Client;
/** Straight to the local S3, to see what was stored. */
let direct: S3Client;
let temp: string;
let script: (put: number) => Act = () => 'forward';
let onAct: (act: Act) => void = () => {};
let puts = 0;

beforeAll(async () => {
  s3server = await startS3Server({ buckets: ['journal'] });
  const upstream = new URL(s3server.endpoint);
  proxy = createServer((req, res) => {
    const act = req.method === 'PUT' ? script(++puts) : 'forward';
    handle(req, res, act, upstream).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
  direct = new S3Client({
    endpoint: s3server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
  temp = await mkdtemp(join(tmpdir(), 'upload-faults-'));
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  direct?.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await s3server?.close();
  await rm(temp, { recursive: true, force: true });
});
beforeEach(() => {
  script = () => 'forward';
  onAct = () => {};
  puts = 0;
});

async function handle(req: IncomingMessage, res: ServerResponse, act: Act, upstream: URL) {
  if (act === 'cut-body') {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 64 * 1024) req.socket.destroy();
    });
    return;
  }
  if (act === 'early-412') {
    // As S3 may: the precondition is refused before the body is read.
    const xml =
      '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
    res.writeHead(412, { 'content-type': 'application/xml', connection: 'close' }).end(xml);
    return;
  }
  if (act === 'stream') {
    // Forwarded as it arrives; a client that goes away mid-body leaves S3 a cut request (stores nothing).
    const forwarded = upstreamRequest(req, upstream);
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 1 << 20 && seen - chunk.length <= 1 << 20) onAct(act);
    });
    req.on('close', () => {
      if (!req.complete) forwarded.destroy();
    });
    forwarded.on('error', () => res.destroy());
    forwarded.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forwarded);
    return;
  }
  const body: Buffer[] = [];
  for await (const chunk of req) body.push(chunk as Buffer);
  if (act === 'throttle') {
    const xml = '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>';
    res.writeHead(503, { 'content-type': 'application/xml' }).end(xml, () => onAct(act));
    return;
  }
  const forwarded = upstreamRequest(req, upstream);
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    forwarded.on('response', resolve).on('error', reject);
    forwarded.end(Buffer.concat(body));
  });
  if (act === 'lose-answer') {
    answer.resume();
    await new Promise((resolve) => answer.on('end', resolve));
    req.socket.destroy();
    return;
  }
  res.writeHead(answer.statusCode ?? 502, answer.headers);
  answer.pipe(res);
}

/** The same request to the local S3, on a connection of its own. */
function upstreamRequest(req: IncomingMessage, upstream: URL) {
  const { hostname: host, port } = upstream;
  return request({ host, port, method: req.method, path: req.url, headers: req.headers, agent: false });
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** What the n-th fetch of the message serves (1-based): the message, its end changed, or a reset mid-body. */
type Fetch = 'same' | 'changed' | 'reset';
/** Fetches of the message so far. */
let fetches = 0;

/**
 * A message of `size` bytes whose source announces its length, spooled as the journal reads it; `final`: read
 * as the archiver's last rule does (no spill: a retry fetches the message again).
 */
function message(size: number, final = false, serve: (fetch: number) => Fetch = () => 'same') {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 13)) & 0xff;
  fetches = 0;
  const access = new LazyMessage(
    async () => {
      const served = serve(++fetches);
      const content = served === 'changed' ? Buffer.concat([bytes.subarray(0, -1), Buffer.from('!')]) : bytes;
      const chunks: Buffer[] = [];
      for (let at = 0; at < size; at += 61_000) chunks.push(content.subarray(at, at + 61_000));
      async function* send() {
        for (const [i, chunk] of chunks.entries()) {
          if (served === 'reset' && i === 20)
            throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
          yield chunk;
        }
      }
      return Object.assign(Readable.from(send()), { contentLength: size });
    },
    { tempDir: temp },
  );
  if (final) access.beginFinalReads();
  return { bytes, access };
}
async function storedSha(key: string): Promise<string | undefined> {
  try {
    const out = await direct.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
    return sha(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
async function upload(
  key: string,
  size: number,
  signal = new AbortController().signal,
  read?: { final: boolean; serve?: (fetch: number) => Fetch },
) {
  const { bytes, access } = message(size, read?.final, read?.serve);
  const length = await access.announcedSize();
  const settings = { length, streamMaxBytes: 64 << 20, partSize: 5 << 20, parallel: 2, signal };
  try {
    return {
      bytes,
      result: await uploadHashed(s3, { Bucket: 'journal', Key: key }, () => access.stream(), settings),
    };
  } finally {
    await access.close();
  }
}

// The SDK never retries a streamed body: the upload retries from the first byte, hashing the message once.
it.each([
  ['throttled', 'throttle', 'written'],
  ['cut mid-body (S3 keeps nothing)', 'cut-body', 'written'],
  ['whose answer is lost (the retry meets 412)', 'lose-answer', 'exists'],
] as const)(
  'retries a streamed PutObject %s: the result describes the whole message, as stored',
  async (_, act, outcome) => {
    script = (put) => (put === 1 ? act : 'forward');
    const key = `retried-${act}`;
    const { bytes, result } = await upload(key, 3 << 20);
    expect(puts).toBe(2);
    expect(result).toEqual({ outcome, sha256: sha(bytes), size: bytes.length });
    expect(await storedSha(key)).toBe(sha(bytes));
    expect(await readdir(temp)).toEqual([]);
  },
  60_000,
);

it('sends nothing more once the deadline fires during the back-off before a retry', async () => {
  const deadline = new AbortController();
  script = (put) => (put === 1 ? 'throttle' : 'forward');
  // The deadline fires just after S3 throttled the first attempt: inside the back-off (≥ 50 ms) before the retry.
  onAct = () => setTimeout(() => deadline.abort(new Error('deadline')), 15);
  await expect(upload('late', 3 << 20, deadline.signal)).rejects.toThrow();
  expect(puts).toBe(1);
  expect(await storedSha('late')).toBeUndefined();
}, 60_000);

it('stops the streamed PutObject when the deadline fires mid-body: S3 stores nothing, no retry', async () => {
  const deadline = new AbortController();
  script = () => 'stream';
  onAct = () => deadline.abort(new Error('deadline'));
  await expect(upload('mid-body', 6 << 20, deadline.signal)).rejects.toThrow();
  expect(puts).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await storedSha('mid-body')).toBeUndefined();
  expect(await readdir(temp)).toEqual([]);
}, 60_000);

it('meets a 412 answered before the body was read: describes the whole message, not the bytes sent', async () => {
  script = () => 'early-412';
  const { bytes, result } = await upload('early', 3 << 20);
  expect(puts).toBe(1);
  expect(result).toEqual({ outcome: 'exists', sha256: sha(bytes), size: bytes.length });
  expect(await readdir(temp)).toEqual([]);
}, 60_000);

// The archiver's journal is its flow's last rule: a retry fetches the message again instead of the spool file.
it.each([
  ['throttled', 'throttle', 'written'],
  ['cut mid-body (S3 keeps nothing)', 'cut-body', 'written'],
  ['whose answer is lost (the retry meets 412)', 'lose-answer', 'exists'],
] as const)(
  'retries a streamed PutObject %s in a last rule from a new fetch: the whole message, as stored',
  async (_, act, outcome) => {
    script = (put) => (put === 1 ? act : 'forward');
    const key = `final-${act}`;
    const { bytes, result } = await upload(key, 3 << 20, undefined, { final: true });
    expect(puts).toBe(2);
    expect(fetches).toBe(outcome === 'exists' ? 3 : 2);
    expect(result).toEqual({ outcome, sha256: sha(bytes), size: bytes.length });
    expect(await storedSha(key)).toBe(sha(bytes));
    expect(await readdir(temp)).toEqual([]);
  },
  60_000,
);

it.each([
  ['changed at its end', 'changed', 'changed'],
  ['reset mid-body', 'reset', 'source'],
] as const)(
  'fails a last-rule retry whose new fetch is %s: no third attempt, S3 keeps nothing',
  async (_, served, reason) => {
    script = (put) => (put === 1 ? 'cut-body' : 'forward');
    const key = `final-refetch-${served}`;
    const serve = (fetch: number): Fetch => (fetch === 1 ? 'same' : served);
    const error = await upload(key, 3 << 20, undefined, { final: true, serve }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MessageReadError', reason });
    expect(puts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storedSha(key)).toBeUndefined();
    expect(await readdir(temp)).toEqual([]);
  },
  60_000,
);

it('fails a streamed PutObject whose source resets mid-body with the source error: S3 keeps nothing, no retry', async () => {
  // Before: the body was destroyed with the error, and the SDK's aws-chunked stream re-emitted it unheard.
  const serve = (): Fetch => 'reset';
  const error = await upload('source-reset', 3 << 20, undefined, { final: false, serve }).catch(
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'MessageReadError', reason: 'source' });
  expect(puts).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await storedSha('source-reset')).toBeUndefined();
}, 60_000);
