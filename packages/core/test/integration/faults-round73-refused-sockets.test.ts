import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDelimited } from '../../src/delimited-body.js';
import { keepAnswerOnBody } from '../../src/s3-client.js';

// Fault round 73 (probe, held): round 72 refuses a part of the object that carries its own checksum by putting the
// answer's status and headers back on the SDK's checksum stream (`keepAnswerOnBody`), and `requireDelimited` then
// destroys that stream — the wrapper, not Node's answer under it. Had the answer stayed open, each refused read would
// keep its socket checked out of the agent, a warm container would run out of sockets (the SDK's pool holds 50) and
// every later read would wait for ever. Here a server standing in for S3 answers a 206 part of 1 MB (more than the
// socket buffers hold, so the answer cannot have been read to its end) with its CRC-32, many more times than the
// agent has sockets; then the whole object must still be read, and no connection the server holds may be left open.
const whole = Buffer.alloc(4 * 1024 * 1024, 'r73 line\r\n');
const part = whole.subarray(0, 1024 * 1024);
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};
let server: Server;
let endpoint: string;
const open = new Set<Socket>();
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served++;
      if ((req.url ?? '').split('?')[0]?.endsWith('/whole')) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(whole.length),
          etag: '"0123456789abcdef0123456789abcdef"',
          'x-amz-checksum-crc32': crc(whole),
        });
        res.end(whole);
        return;
      }
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': String(part.length),
        'content-range': `bytes 0-${part.length - 1}/${whole.length}`,
        etag: '"0123456789abcdef0123456789abcdef-4"',
        'x-amz-mp-parts-count': '4',
        'x-amz-checksum-crc32': crc(part),
      });
      res.end(part);
    });
  });
  server.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(agent?: Agent): S3Client {
  return keepAnswerOnBody(
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      responseChecksumValidation: 'WHEN_SUPPORTED',
      ...(agent ? { requestHandler: new NodeHttpHandler({ httpAgent: agent }) } : {}),
    }),
  );
}

async function refusedRead(s3: S3Client): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'part' }));
  try {
    requireDelimited(got.Body as Readable, 'GetObject s3://b/part', { lengthRequired: true });
    return 'taken';
  } catch (error) {
    return (error as Error).name;
  }
}

async function wholeRead(s3: S3Client): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'whole' }));
  const body = requireDelimited(got.Body as Readable, 'GetObject s3://b/whole', { lengthRequired: true });
  return Buffer.concat(await body.toArray());
}

/** Waits (bounded by the test's own timeout) until the server holds at most `n` connections. */
async function settled(n: number): Promise<number> {
  while (open.size > n) await new Promise((resolve) => setTimeout(resolve, 20));
  return open.size;
}

describe('F73 probe: checksummed parts refused many times over one warm client (held)', () => {
  it('a pool of 2 sockets: 12 refused reads, then the whole object is read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const s3 = client(agent);
    const before = served;
    for (let i = 0; i < 12; i++) expect(await refusedRead(s3)).toBe('TransientError');
    expect(served - before).toBe(12);
    expect((await wholeRead(s3)).equals(whole)).toBe(true);
    // Every socket a refused answer held was closed: the agent keeps at most its two free sockets.
    expect(await settled(2)).toBeLessThanOrEqual(2);
    agent.destroy();
    s3.destroy();
  }, 30_000);

  it("the SDK's default pool: 60 refused reads (more than its 50 sockets), then the whole object", async () => {
    const s3 = client();
    for (let i = 0; i < 60; i++) expect(await refusedRead(s3)).toBe('TransientError');
    expect((await wholeRead(s3)).equals(whole)).toBe(true);
    s3.destroy();
    expect(await settled(0)).toBe(0);
  }, 30_000);
});
