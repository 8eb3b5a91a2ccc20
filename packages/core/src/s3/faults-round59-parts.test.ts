import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransient } from '../transient.js';
import { uploadInParts } from './parted-upload.js';

// Fault round 59, held: the multipart upload (the journal's path for a message of unknown or large length) when a
// part's bytes change on their way to S3, when a part is answered with another part's ETag, and when the deadline
// fires while the last part is still on its way. Each time S3 keeps no object and no upload, and the upload fails.
const BUCKET = 'journal';
const PART = 5 * 1024 * 1024;
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});

interface Step {
  /** The body sent on (same length: what arrives is not what was sent). */
  body?: Buffer;
  /** Forward once this resolves. */
  after?: Promise<unknown>;
  /** Forward, then answer with these headers in place of S3's (status 200, empty body). */
  answerHeaders?: Record<string, string>;
}

/** A proxy before S3 that may change a request's body, hold it, or answer in S3's place after forwarding it. */
async function bodyProxy(upstream: string, step: (req: IncomingMessage, body: Buffer) => Step) {
  const target = new URL(upstream);
  const log: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const sent = Buffer.concat(chunks);
      const s = step(req, sent);
      if (s.after) await s.after;
      log.push(`${req.method} ${(req.url ?? '').replace(/&x-id=.*$/, '')}`);
      const { expect: _e, ...headers } = req.headers;
      const out = request({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      });
      out.on('error', () => res.destroy());
      out.on('response', (answer) => {
        if (s.answerHeaders) {
          answer.resume();
          answer.on('end', () => {
            res.writeHead(200, { 'content-length': '0', ...s.answerHeaders });
            res.end();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(s.body ?? sent);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
const client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
const partOf = (req: IncomingMessage) =>
  req.method === 'PUT' ? Number(new URL(req.url ?? '', 'http://x').searchParams.get('partNumber')) : 0;
const message = (size: number) => {
  const lines: Buffer[] = [];
  for (let i = 0, n = 0; n < size; i++) {
    const line = Buffer.from(`line ${String(i).padStart(8, '0')} of the message\r\n`);
    lines.push(line);
    n += line.length;
  }
  return Buffer.concat(lines).subarray(0, size);
};
async function* chunks(bytes: Buffer) {
  for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
}
/** No object under `key`. */
async function nothingStored(key: string) {
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).catch((e: Error) => e);
  expect(got).toMatchObject({ name: 'NoSuchKey' });
}

describe('multipart upload: held probes (fault round 59)', () => {
  it('a part whose bytes change on the way is refused by its checksum (BadDigest, transient): the upload fails, aborted', async () => {
    const bytes = message(2 * PART + 999);
    const proxy = await bodyProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, (req, body) => {
      if (partOf(req) !== 2) return {};
      const changed = Buffer.from(body);
      const at = changed.indexOf('line 00', changed.length >> 1);
      expect(at).toBeGreaterThan(0);
      changed[at] = 0x4c; // `Line`: one byte, the length kept
      return { body: changed };
    });
    try {
      const out = uploadInParts(client(proxy.endpoint), { Bucket: BUCKET, Key: 'p-changed' }, chunks(bytes), {
        partSize: PART,
        parallel: 2,
        signal: new AbortController().signal,
      });
      const error = await out.then(
        () => undefined,
        (e: unknown) => e,
      );
      // S3's answer to bytes changed on their way, BadDigest: transient, so WorkMail retries the invocation.
      expect(error).toMatchObject({ name: 'BadDigest', message: expect.stringMatching(/does not match/) });
      expect(isTransient(error)).toBe(true);
      expect(proxy.log.some((l) => l.startsWith('DELETE'))).toBe(true);
      expect(proxy.log.some((l) => l.startsWith('POST') && /uploadId=/.test(l))).toBe(false); // no Complete
    } finally {
      await proxy.close();
    }
    await nothingStored('p-changed');
  });

  it('a part answered with another part’s ETag (stored, the answer not its own): Complete refused, transient', async () => {
    const bytes = message(3 * PART + 10);
    // Part 3 is stored and answered with part 1's ETag (a real MD5, of other bytes).
    const first = `"${createHash('md5').update(bytes.subarray(0, PART)).digest('hex')}"`;
    const proxy = await bodyProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, (req) =>
      partOf(req) === 3 ? { answerHeaders: { etag: first } } : {},
    );
    try {
      const out = uploadInParts(client(proxy.endpoint), { Bucket: BUCKET, Key: 'p-etag' }, chunks(bytes), {
        partSize: PART,
        parallel: 3,
        signal: new AbortController().signal,
      });
      await expect(out).rejects.toMatchObject({
        name: 'TransientError',
        // Since fault round 88 the part's ETag is checked against the MD5 of its bytes as it is answered.
        message: expect.stringMatching(
          /a part S3 answered for is not there|not the MD5 of the \d+ bytes sent/,
        ),
      });
    } finally {
      await proxy.close();
    }
    await nothingStored('p-etag');
  });

  it('the deadline fires while the last part is on its way: no Complete, the upload aborted, the part lands on nothing', async () => {
    const bytes = message(2 * PART + 5000);
    const deadline = new AbortController();
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const proxy = await bodyProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, (req) => {
      if (partOf(req) !== 3) return {};
      setTimeout(() => deadline.abort(new DOMException('deadline', 'TimeoutError')), 20);
      return { after: held };
    });
    try {
      const out = uploadInParts(client(proxy.endpoint), { Bucket: BUCKET, Key: 'p-race' }, chunks(bytes), {
        partSize: PART,
        parallel: 3,
        signal: deadline.signal,
      });
      await expect(out).rejects.toMatchObject({ name: 'TimeoutError' });
      // The last part reaches S3 after the abort: no upload to land in.
      letGo();
      await new Promise((r) => setTimeout(r, 300));
      expect(proxy.log.filter((l) => l.startsWith('POST') && /uploadId=/.test(l))).toEqual([]);
      expect(proxy.log.some((l) => l.startsWith('DELETE'))).toBe(true);
    } finally {
      await proxy.close();
    }
    await nothingStored('p-race');
  });
});
