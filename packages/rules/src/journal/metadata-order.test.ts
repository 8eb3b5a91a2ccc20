import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { isTransient } from '@wmflow/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { journalToS3 } from './index.js';

// The metadata object is prepared while S3 stores the copy; these pin down that it is still only ever
// sent after S3 has acknowledged the copy, and never for a copy S3 did not store.
let h: Harness;
let proxy: Server;
let s3: S3Client;
/** What the proxy saw, in order. */
let events: string[] = [];
/** The copy's PUT: forwarded after a pause, or refused with a 500 once its whole body has arrived. */
let copyAct: 'slow' | 'fail' = 'slow';

beforeAll(async () => {
  h = await startHarness(['journal']);
  const upstream = new URL(h.stack.env.AWS_ENDPOINT_URL_S3 as string);
  proxy = createServer((req, res) => {
    handle(req, res, upstream).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  s3?.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await h?.stop();
});
beforeEach(() => {
  events = [];
});

async function handle(req: IncomingMessage, res: ServerResponse, upstream: URL): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const isCopy = req.method === 'PUT' && !(req.url ?? '').includes('.json');
  const isMetadata = req.method === 'PUT' && (req.url ?? '').includes('.json');
  if (isMetadata) events.push('metadata arrives');
  if (isCopy && copyAct === 'fail') {
    events.push('copy refused');
    res.writeHead(500, { 'content-type': 'application/xml' });
    res.end('<Error><Code>InternalError</Code><Message>injected</Message></Error>');
    return;
  }
  // Long enough for the prepared metadata to be signed and waiting well before the copy is answered.
  if (isCopy) await new Promise((resolve) => setTimeout(resolve, 150));
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      resolve,
    );
    forward.on('error', reject);
    forward.end(Buffer.concat(chunks));
  });
  if (isCopy) events.push(`copy answered ${answer.statusCode}`);
  res.writeHead(answer.statusCode ?? 502, answer.headers);
  answer.pipe(res);
}

describe('journalToS3: the metadata object comes after the copy', () => {
  it('is sent only once S3 has answered the copy', async () => {
    copyAct = 'slow';
    const bytes = await eml('plain.eml');
    const run = await h.run(
      [journalToS3({ bucket: 'journal', s3, keyTemplate: 'order/{messageId}' })],
      bytes,
    );
    expect(run.outcome.failures).toEqual([]);
    expect(events).toEqual(['copy answered 200', 'metadata arrives']);
    expect((await h.stack.listObjects('journal', 'order/')).map((o) => o.key)).toEqual([
      `order/${run.messageId}`,
      `order/${run.messageId}.json`,
    ]);
  });

  it('is never sent for a copy S3 refused, even after the whole message was read and hashed', async () => {
    copyAct = 'fail';
    const bytes = await eml('plain.eml');
    const failed = await h
      .run([journalToS3({ bucket: 'journal', s3, keyTemplate: 'refused/{messageId}' })], bytes)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isTransient(failed)).toBe(true);
    expect(events).toEqual(['copy refused', 'copy refused', 'copy refused']);
    expect(await h.stack.listObjects('journal', 'refused/')).toEqual([]);
  });
});
