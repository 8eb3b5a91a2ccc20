import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';
import { decodeAwsChunked } from '../src/s3/aws-chunked.js';

// Faults injected at the S3 front: spellings of one key, and aws-chunked bodies that are not whole.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal'] });
});
afterAll(async () => {
  await stack.stop();
});

/** A client whose requests spell `from` in the path as `to` (another percent-encoding of the same key). */
function respelling(from: string, to: string): S3Client {
  const client = new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { path: string };
      request.path = request.path.replace(from, to);
      return next(args);
    },
    { step: 'build', name: 'respell' },
  );
  return client;
}
async function read(key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}
const put = (key: string, body: string, headers: Record<string, string>) =>
  fetch(`${stack.env.AWS_ENDPOINT_URL_S3}/journal/${key}`, { method: 'PUT', headers, body });
const trailing = {
  'content-encoding': 'aws-chunked',
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'x-amz-trailer': 'x-amz-checksum-crc32',
};
const crcOf = (text: string) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(Buffer.from(text)));
  return sum.toString('base64');
};

describe('S3 front under faults', () => {
  it('lets one of two conditional writers win when they spell the key differently (%41 and A)', async () => {
    const writers = [stack.s3, respelling('/journal/enc/A', '/journal/enc/%41')];
    const bodies = writers.map(() => new PassThrough());
    const sent = writers.map((client, i) =>
      client.send(
        new PutObjectCommand({
          Bucket: 'journal',
          Key: 'enc/A',
          Body: bodies[i],
          ContentLength: 10,
          IfNoneMatch: '*',
        }),
      ),
    );
    // Both requests are at the front, each with half a body, before either has all of it.
    for (const [i, body] of bodies.entries()) body.write(`writer ${i}`.slice(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [i, body] of bodies.entries()) body.end(`writer ${i}...`.slice(5, 10));
    const results = await Promise.allSettled(sent);
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as Error).name).toBe('PreconditionFailed');
    expect(await read('enc/A')).toBe(`writer ${won[0]}...`.slice(0, 10));
  });

  it('checks If-None-Match when the body has arrived: a key stored meanwhile by a plain PUT wins (412)', async () => {
    const body = new PassThrough();
    const conditional = stack.s3
      .send(
        new PutObjectCommand({
          Bucket: 'journal',
          Key: 'enc/meanwhile',
          Body: body,
          ContentLength: 10,
          IfNoneMatch: '*',
        }),
      )
      .then(
        () => 'stored',
        (e: unknown) => (e as Error).name,
      );
    body.write('condi');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // While the conditional writer is still sending, another writer stores the key without a condition.
    await stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key: 'enc/meanwhile', Body: 'plain' }));
    body.end('tiona');
    expect(await conditional).toBe('PreconditionFailed');
    expect(await read('enc/meanwhile')).toBe('plain');
  });

  it('stores nothing when a declared checksum trailer is missing (not knowing is not allowing)', async () => {
    const missing = await put('t/missing', '5\r\nhello\r\n0\r\n\r\n', trailing);
    expect(missing.status).toBe(400);
    expect(await read('t/missing')).toBe('NoSuchKey');
    const bare = await put('t/bare', '5\r\nhello\r\n0\r\n', trailing);
    expect(bare.status).toBe(400);
    expect(await read('t/bare')).toBe('NoSuchKey');
    // The same body with its trailer, signed-chunk extensions and a trailer signature, is stored.
    const whole = `5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\nx-amz-checksum-crc32:${crcOf('hello')}\r\nx-amz-trailer-signature:0f\r\n\r\n`;
    expect((await put('t/whole', whole, trailing)).status).toBe(200);
    expect(await read('t/whole')).toBe('hello');
  });

  it('decodes a body delivered one byte at a time, and refuses one cut at any byte', async () => {
    const data = 'one byte at a time, through every framing state';
    const framed = Buffer.from(
      `a\r\n${data.slice(0, 10)}\r\n${(data.length - 10).toString(16)};ext=1\r\n${data.slice(10)}\r\n0\r\nx-amz-checksum-crc32:${crcOf(data)}\r\n\r\n`,
    );
    const bytes = [...framed].map((b) => Buffer.from([b]));
    const decoded = await decodeAwsChunked(bytes);
    expect(Buffer.concat(decoded.body).toString()).toBe(data);
    // Cut anywhere before the final chunk's line ends: never a body.
    const finalChunk = framed.indexOf('0\r\nx-amz');
    for (let cut = 0; cut < finalChunk + 3; cut++) {
      await expect(decodeAwsChunked([framed.subarray(0, cut)]), String(cut)).rejects.toThrow(/aws-chunked/);
    }
  });
});

describe('S3 front: checksum trailers of every algorithm', () => {
  const sha = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('base64');
  const chunked = (trailer: string, value: string) => `5\r\nhello\r\n0\r\n${trailer}:${value}\r\n\r\n`;

  it('stores a body whose SHA-256 or SHA-1 trailer matches, and nothing for one that does not', async () => {
    for (const algorithm of ['sha256', 'sha1']) {
      const headers = { ...trailing, 'x-amz-trailer': `x-amz-checksum-${algorithm}` };
      const good = await put(
        `s/${algorithm}`,
        chunked(headers['x-amz-trailer'], sha(algorithm, 'hello')),
        headers,
      );
      expect(good.status, algorithm).toBe(200);
      expect(await read(`s/${algorithm}`)).toBe('hello');
      const bad = await put(
        `s/${algorithm}-bad`,
        chunked(headers['x-amz-trailer'], sha(algorithm, 'hellO')),
        headers,
      );
      expect(bad.status, algorithm).toBe(400);
      expect(await read(`s/${algorithm}-bad`)).toBe('NoSuchKey');
    }
  });

  it('refuses a checksum it cannot verify rather than storing unchecked bytes', async () => {
    for (const trailer of ['x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme']) {
      const headers = { ...trailing, 'x-amz-trailer': trailer };
      const answer = await put('s/unverifiable', chunked(trailer, 'AAAAAA=='), headers);
      expect(answer.status, trailer).toBe(400);
      expect(await answer.text()).toMatch(/cannot verify/);
    }
    expect(await read('s/unverifiable')).toBe('NoSuchKey');
  });

  it('checks a checksum sent as a header as S3 does: stores matching bytes, refuses others (BadDigest)', async () => {
    const crc = (text: string) => {
      const sum = Buffer.alloc(4);
      sum.writeUInt32BE(crc32(Buffer.from(text)));
      return sum.toString('base64');
    };
    const sums: [string, (text: string) => string][] = [
      ['crc32', crc],
      ['sha256', (text) => sha('sha256', text)],
      ['sha1', (text) => sha('sha1', text)],
    ];
    for (const [algorithm, sum] of sums) {
      const header = `x-amz-checksum-${algorithm}`;
      const good = await put(`h/${algorithm}`, 'hello', { [header]: sum('hello') });
      expect(good.status, algorithm).toBe(200);
      expect(await read(`h/${algorithm}`)).toBe('hello');
      // One byte changed on the way: the checksum is of the bytes the client meant to send.
      const bad = await put(`h/${algorithm}-bad`, 'hellO', { [header]: sum('hello') });
      expect(bad.status, algorithm).toBe(400);
      expect(await bad.text()).toMatch(/<Code>BadDigest<\/Code>.*does not match the body/);
      expect(await read(`h/${algorithm}-bad`)).toBe('NoSuchKey');
    }
    const unverifiable = await put('h/crc32c', 'hello', { 'x-amz-checksum-crc32c': 'AAAAAA==' });
    expect(unverifiable.status).toBe(400);
    expect(await read('h/crc32c')).toBe('NoSuchKey');
  });

  it('round-trips SDK PutObject, multipart and DeleteObjects with their default checksums', async () => {
    const {
      CompleteMultipartUploadCommand,
      CreateMultipartUploadCommand,
      DeleteObjectsCommand,
      UploadPartCommand,
    } = await import('@aws-sdk/client-s3');
    await stack.s3.send(
      new PutObjectCommand({ Bucket: 'journal', Key: 'h/sdk', Body: 'hello', ChecksumAlgorithm: 'CRC32' }),
    );
    expect(await read('h/sdk')).toBe('hello');
    const { UploadId } = await stack.s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'journal', Key: 'h/parts', ChecksumAlgorithm: 'CRC32' }),
    );
    const part = await stack.s3.send(
      new UploadPartCommand({
        Bucket: 'journal',
        Key: 'h/parts',
        UploadId,
        PartNumber: 1,
        Body: 'hello',
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    await stack.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'journal',
        Key: 'h/parts',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] },
      }),
    );
    expect(await read('h/parts')).toBe('hello');
    await stack.s3.send(
      new DeleteObjectsCommand({
        Bucket: 'journal',
        Delete: { Objects: [{ Key: 'h/sdk' }, { Key: 'h/parts' }] },
      }),
    );
    expect([await read('h/sdk'), await read('h/parts')]).toEqual(['NoSuchKey', 'NoSuchKey']);
  });

  it('round-trips an SDK PutObject with ChecksumAlgorithm SHA256 (the journal under Object Lock)', async () => {
    const body = new PassThrough();
    const sent = stack.s3.send(
      new PutObjectCommand({
        Bucket: 'journal',
        Key: 's/sdk-sha256',
        Body: body,
        ContentLength: 11,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    body.end('hello world');
    await sent;
    expect(await read('s/sdk-sha256')).toBe('hello world');
  });
});
