import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3_ACCESS_KEY_ID, type S3Server, startS3Server } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdPut } from './held-put.js';

let server: S3Server;
let s3: S3Client;
beforeAll(async () => {
  server = await startS3Server({ buckets: ['journal'] });
  s3 = new S3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

async function read(key: string): Promise<string | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
const params = (key: string, body: string) => ({ Bucket: 'journal', Key: key, Body: body });

describe('holdPut: a PutObject prepared ahead, sent only when released', () => {
  it('sends nothing until released, then writes with If-None-Match', async () => {
    const held = holdPut(s3, params('h/one.json', '{"a":1}'), new AbortController().signal);
    await held.ready;
    expect(await read('h/one.json')).toBeUndefined();
    expect(await held.release()).toBe('written');
    expect(await read('h/one.json')).toBe('{"a":1}');
    const again = holdPut(s3, params('h/one.json', '{"a":2}'), new AbortController().signal);
    expect(await again.release()).toBe('exists');
    expect(await read('h/one.json')).toBe('{"a":1}');
  });

  it('drops a cancelled request unsent', async () => {
    const held = holdPut(s3, params('h/cancelled.json', 'x'), new AbortController().signal);
    await held.ready;
    held.cancel();
    const outcome = await held.release().catch((e: unknown) => e);
    expect((outcome as Error).name).toBe('HeldPutCancelled');
    expect(await read('h/cancelled.json')).toBeUndefined();
  });

  it('ends unsent when the invocation is aborted while it waits', async () => {
    const deadline = new AbortController();
    const held = holdPut(s3, params('h/aborted.json', 'x'), deadline.signal);
    await held.ready;
    deadline.abort(new Error('deadline'));
    expect(String(await held.release().catch((e: unknown) => e))).toMatch(/deadline|aborted/i);
    expect(await read('h/aborted.json')).toBeUndefined();
  });
});
