import { readFile } from 'node:fs/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowEmulator, type S3Server, startFlowEmulator, startS3Server } from '../src/index.js';
import { failure, SAMPLES, serverS3Client } from './helpers.js';

// PutRawMessageContent's size limit, on both of the emulator's reads: whole from the store (at most the
// limit) and streamed (past it, or a versioned reference through S3).
let server: S3Server;
let s3: S3Client;
let flow: FlowEmulator;
let client: WorkMailMessageFlowClient;
let plain: Buffer;

beforeAll(async () => {
  plain = await readFile(`${SAMPLES}plain.eml`);
  server = await startS3Server({ buckets: ['updates'] });
  s3 = serverS3Client(server);
  flow = await startFlowEmulator({
    s3,
    readObject: server.readObject,
    maxMessageBytes: plain.length + 100,
  });
  client = new WorkMailMessageFlowClient({
    endpoint: flow.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client?.destroy();
  s3?.destroy();
  await flow?.close();
  await server?.close();
});

async function update(id: string, key: string, body: Buffer) {
  await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: body }));
  return client.send(
    new PutRawMessageContentCommand({ messageId: id, content: { s3Reference: { bucket: 'updates', key } } }),
  );
}

describe('PutRawMessageContent size limit in the emulator', () => {
  it('takes an update of exactly the limit, read whole, and keeps its bytes', async () => {
    const id = flow.load(plain);
    const body = Buffer.concat([plain, Buffer.from(`${'x'.repeat(98)}\r\n`, 'latin1')]);
    expect(body.length).toBe(plain.length + 100);
    await update(id, `at-limit/${id}`, body);
    expect(flow.history(id).at(-1)?.content.equals(body)).toBe(true);
  });

  it('refuses an update one byte over the limit, saying so, and keeps the message', async () => {
    const id = flow.load(plain);
    const body = Buffer.concat([plain, Buffer.from(`${'x'.repeat(99)}\r\n`, 'latin1')]);
    const error = await failure(update(id, `over-limit/${id}`, body));
    expect(error.name).toBe('MessageRejected');
    expect(error.message).toMatch(/is over \d+ bytes/);
    expect(flow.history(id)).toHaveLength(1);
  });

  it('keeps an update replaced during the call whole: its old bytes or its new ones, never a part', async () => {
    const bodies = ['y'.repeat(10), 'z'.repeat(90)].map((line) =>
      Buffer.concat([plain, Buffer.from(`${line}\r\n`, 'latin1')]),
    );
    const key = 'replaced/update';
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: bodies[0] }));
    for (let i = 0; i < 20; i++) {
      const id = flow.load(plain);
      const replaced = s3.send(
        new PutObjectCommand({ Bucket: 'updates', Key: key, Body: bodies[(i + 1) % 2] }),
      );
      await client.send(
        new PutRawMessageContentCommand({
          messageId: id,
          content: { s3Reference: { bucket: 'updates', key } },
        }),
      );
      await replaced;
      const kept = flow.history(id).at(-1)?.content;
      expect(bodies.some((body) => kept?.equals(body))).toBe(true);
    }
  });

  it('refuses an update whose object is missing (InvalidContentLocation) and keeps the message', async () => {
    const id = flow.load(plain);
    const error = await failure(
      client.send(
        new PutRawMessageContentCommand({
          messageId: id,
          content: { s3Reference: { bucket: 'updates', key: `never/written/${id}` } },
        }),
      ),
    );
    expect(error.name).toBe('InvalidContentLocation');
    expect(flow.history(id)).toHaveLength(1);
  });
});
