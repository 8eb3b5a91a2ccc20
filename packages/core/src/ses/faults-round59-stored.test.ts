import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyMessage } from '../message/message.js';
import { storedMessageSource } from './clients.js';

// Fault round 59, held: guard-ses's stored message (the S3 action's object) when S3's answer ends before its
// Content-Length, and when the object is stored again between the header read (the transfer then released) and the
// body read that fetches it again. The message is read whole, as stored once, or the read fails: never a shorter
// message, never one object's start spliced to another's end.
const BUCKET = 'inbound-mail';
const PREFIX = 'inbound/';
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
const MESSAGE_ID = '<r59.stored@partner.example>';
const mail = (body: string, size = 300_000) => {
  const head = `Message-ID: ${MESSAGE_ID}\r\nFrom: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: report\r\n\r\n`;
  const line = `${body}\r\n`;
  return Buffer.from(head + line.repeat(Math.ceil((size - head.length) / line.length))).subarray(0, size);
};
const store = (id: string, bytes: Buffer) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${id}`, Body: bytes }));
const open = (s3: S3Client, id: string) =>
  new LazyMessage(
    storedMessageSource(s3, { bucket: BUCKET, keyPrefix: PREFIX }, id, undefined, {
      messageIdHeader: MESSAGE_ID,
      maxHeaderBytes: 256 * 1024,
    }),
    { releaseAbove: 1, mailOnly: true },
  );

/** A proxy that answers each GET with S3's headers (its Content-Length among them) and `keep` of its bytes, then drops the connection. */
async function cutProxy(upstream: string, keep: number) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const out = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: false,
    });
    req.pipe(out);
    out.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (req.method !== 'GET') return void answer.pipe(res);
      let left = keep;
      answer.on('data', (chunk: Buffer) => {
        if (left <= 0) return;
        res.write(chunk.subarray(0, left));
        left -= chunk.length;
        if (left <= 0) {
          answer.destroy();
          setTimeout(() => res.socket?.destroy(), 20);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

describe('guard-ses stored message: held probes (fault round 59)', () => {
  it.each([100, 65_536, 299_999])(
    'a GET that sends %i bytes of its Content-Length, then drops: the read fails, never a shorter message',
    async (keep) => {
      const bytes = mail('the report');
      await store(`cut-${keep}`, bytes);
      const proxy = await cutProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, keep);
      const message = open(client(proxy.endpoint), `cut-${keep}`);
      try {
        const read = await message.bytes().then(
          (b) => b.length,
          (e: Error) => e,
        );
        expect(read).toBeInstanceOf(Error);
      } finally {
        await message.close();
        await proxy.close();
      }
    },
  );

  it('stored again between the header read and the body read, other bytes: the body read fails (changed)', async () => {
    await store('swap-1', mail('the report'));
    const message = open(stack.s3, 'swap-1');
    try {
      expect((await message.headers()).subject).toBe('report');
      // Same Message-ID and length, another body: the held header block is the same, the bytes past it are not.
      await store('swap-1', mail('wire it now'));
      const read = await message.bytes().then(
        (b) => b,
        (e: Error) => e,
      );
      expect(read).toMatchObject({
        name: 'MessageReadError',
        // Since fault round 65 the re-fetch is pinned to the first answer's ETag: S3 refuses it (412) first.
        message: expect.stringMatching(
          /fetched again differs in its first \d+ bytes|fetched again is another object/,
        ),
        reason: 'changed',
      });
    } finally {
      await message.close();
    }
  });

  it('stored again with another length between the two reads: the body read fails, nothing spliced', async () => {
    await store('swap-2', mail('the report'));
    const message = open(stack.s3, 'swap-2');
    try {
      await message.headers();
      await store('swap-2', mail('the report', 300_001));
      await expect(message.bytes()).rejects.toMatchObject({
        name: 'MessageReadError',
        message: expect.stringMatching(
          /fetched again is 300001 bytes, was 300000|fetched again is another object/,
        ),
        reason: 'changed',
      });
    } finally {
      await message.close();
    }
  });
});
