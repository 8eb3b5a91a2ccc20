import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { isTransient } from '@wmflow/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forwardTo, type S3Proxy, startS3Proxy } from '../../test/support/s3-proxy.js';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { journalToS3 } from './index.js';

// The metadata object is prepared while S3 stores the copy; these pin down that it is still only ever
// sent after S3 has acknowledged the copy, and never for a copy S3 did not store.
let h: Harness;
let proxy: S3Proxy;
let s3: S3Client;
/** What the proxy saw, in order. */
let events: string[] = [];
/** The copy's PUT: forwarded after a pause, or refused with a 500 once its whole body has arrived. */
let copyAct: 'slow' | 'fail' = 'slow';

beforeAll(async () => {
  h = await startHarness(['journal']);
  const upstream = h.stack.env.AWS_ENDPOINT_URL_S3 as string;
  proxy = await startS3Proxy((req, body, res) => handle(req, body, res, upstream));
  s3 = proxy.s3;
});
afterAll(async () => {
  await proxy?.close();
  await h?.stop();
});
beforeEach(() => {
  events = [];
});

async function handle(req: IncomingMessage, body: Buffer, res: ServerResponse, upstream: string) {
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
  const answer = await forwardTo(upstream, req, body);
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
