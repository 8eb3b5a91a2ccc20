import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyMessage } from '../message/message.js';
import { commitUpdate } from './commit-update.js';

// A loopback server standing in for S3 and the Message Flow API: it records every request it gets.
const requests: string[] = [];
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(200, { etag: '"0"', 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const MESSAGE = Buffer.from(
  'From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: hi\r\n' +
    'Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <c@partner.example>\r\n\r\nhello\r\n',
);

describe('commitUpdate under a deadline', () => {
  it('uploads nothing and commits nothing when the deadline fires while the edits are applied', async () => {
    const credentials = { accessKeyId: 'k', secretAccessKey: 's' };
    const clients = {
      s3: new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 }),
      messageFlow: new WorkMailMessageFlowClient({
        endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      }),
    };
    const deadline = new AbortController();
    // The deadline fires once the edit pass has started (it opens the message): after commitUpdate's first check.
    const message = new LazyMessage(async () => {
      deadline.abort(new Error('deadline reached'));
      return Readable.from([MESSAGE]);
    });
    const tempDir = await mkdtemp(join(tmpdir(), 'commit-update-test-'));
    const outcome = await commitUpdate({
      message,
      edits: [{ kind: 'prefix-subject', prefix: '[EXTERNAL] ' }],
      messageId: 'm-1',
      invocationId: 'i-1',
      clients,
      options: { bucket: 'updates', tempDir },
      signal: deadline.signal,
    });
    await message.close();
    // Give a request started in the background every chance to arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toEqual([]);
    expect(outcome.status).not.toBe('committed');
    expect(await readdir(tempDir)).toEqual([]);
    await rm(tempDir, { recursive: true, force: true });
  }, 60_000);
});
