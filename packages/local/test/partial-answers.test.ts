import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { LazyMessage, TransientError, workmailSource } from '@wmflow/core';
import { storedMessageSource } from '@wmflow/core/ses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSource } from '../src/backtest/source.js';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';

// A middlebox that answers a range nobody asked for: `206 Partial Content`, a Content-Range, and a length that
// agrees with the bytes it sends (the fault proxy's `partial`). Every read of a message or a journal copy refuses
// it (transient: a retry reads again) instead of taking the first bytes for the whole.
const BUCKET = 'partial-answers';
const MESSAGE = Buffer.from(
  ['From: a@partner.example', 'To: b@corp.example', 'Subject: partial', '', 'line\r\n'.repeat(20_000)].join(
    '\r\n',
  ),
);
let stack: LocalStack;
let s3: S3Client;
let messageFlow: WorkMailMessageFlowClient;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET], faults: 'seed=5' });
  const credentials = { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' };
  s3 = new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials,
  });
  messageFlow = new WorkMailMessageFlowClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials,
  });
  await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'journal/m1', Body: MESSAGE }));
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  messageFlow?.destroy();
  await stack?.stop();
});
beforeEach(() => {
  stack.proxies?.s3.configure('partial=1');
  stack.proxies?.flow.configure('partial=1');
});

async function read(open: () => Promise<import('node:stream').Readable>): Promise<Buffer> {
  const message = new LazyMessage(open);
  try {
    return await message.bytes();
  } finally {
    await message.close();
  }
}

describe('an answer that is a part of the message (206 Partial Content)', () => {
  it('is refused by GetRawMessageContent through the SDK, transient, and read whole once the proxy is honest', async () => {
    const id = stack.flow.load(MESSAGE);
    const before = stack.proxies?.flow.stats().partials ?? 0;
    const error = await read(workmailSource(messageFlow, id)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/answered a part of the object \(206, range bytes 0-\d+\//);
    expect(stack.proxies?.flow.stats().partials).toBeGreaterThan(before);
    stack.proxies?.flow.configure('partial=0');
    expect((await read(workmailSource(messageFlow, id))).equals(MESSAGE)).toBe(true);
  });

  it('is refused by the SES functions’ read of the stored message', async () => {
    const source = storedMessageSource(s3, { bucket: BUCKET, keyPrefix: 'journal/' }, 'm1');
    await expect(read(source)).rejects.toThrow(/answered a part of the object/);
    stack.proxies?.s3.configure('partial=0');
    expect((await read(source)).equals(MESSAGE)).toBe(true);
  });

  it('is refused by the backtest before it is judged, even for a copy without metadata', async () => {
    const source = await openSource(`s3://${BUCKET}/journal/`, { s3 });
    try {
      await expect(source.fetch('journal/m1')).rejects.toThrow(/answered a part of the object/);
      stack.proxies?.s3.configure('partial=0');
      const item = await source.fetch('journal/m1');
      expect(item.metadata).toBeNull();
      await source.release(item);
    } finally {
      await source.close();
    }
  });
});
