import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetRawMessageContentCommand,
  PutRawMessageContentCommand,
} from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, ManualClock, MESSAGE_TTL_MS, startLocalStack } from '../src/index.js';
import { failure, flowClient, SAMPLES } from './helpers.js';

const clock = new ManualClock();
let stack: LocalStack;
let plain: Buffer;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'], clock });
  plain = await readFile(`${SAMPLES}plain.eml`);
});
afterAll(() => stack.stop());

async function get(messageId: string): Promise<Buffer> {
  const out = await flowClient(stack).send(new GetRawMessageContentCommand({ messageId }));
  return Buffer.from(
    await (out.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

async function put(messageId: string, key: string, body?: string | Buffer) {
  if (body !== undefined)
    await stack.s3.send(new PutObjectCommand({ Bucket: 'updates', Key: key, Body: body }));
  return flowClient(stack).send(
    new PutRawMessageContentCommand({ messageId, content: { s3Reference: { bucket: 'updates', key } } }),
  );
}

function retitled(original: Buffer, subject: string): string {
  return original.toString('latin1').replace('Subject: Lunch on Thursday?', `Subject: ${subject}`);
}

describe('Message Flow emulator through @aws-sdk/client-workmailmessageflow', () => {
  it('GetRawMessageContent streams the loaded bytes unchanged', async () => {
    const id = await stack.flow.loadFile(`${SAMPLES}attachment.eml`);
    expect(id).toMatch(/^[a-z0-9-]{1,120}$/);
    expect(await get(id)).toEqual(await readFile(`${SAMPLES}attachment.eml`));
  });

  it('answers ResourceNotFoundException (404) for an unknown id and after 24 hours', async () => {
    const unknown = await failure(get('no-such-message'));
    expect(unknown.name).toBe('ResourceNotFoundException');
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
    const id = stack.flow.load(plain, { receivedAt: clock.now() - MESSAGE_TTL_MS + 1000 });
    expect((await get(id)).length).toBe(plain.length);
    clock.advance(1000);
    expect((await failure(get(id))).name).toBe('ResourceNotFoundException');
    expect(stack.flow.history(id)).toHaveLength(1);
  });

  it('forgets a message on request (long replays), answering 404 for it afterwards', async () => {
    const id = stack.flow.load(plain);
    expect((await get(id)).length).toBe(plain.length);
    stack.flow.forget(id);
    expect((await failure(get(id))).name).toBe('ResourceNotFoundException');
    expect(() => stack.flow.history(id)).toThrow(/no message/);
  });

  it('PutRawMessageContent replaces the message and records the version', async () => {
    const id = stack.flow.load(plain);
    const updated = retitled(plain, '[EXTERNAL] Lunch on Thursday?');
    await put(id, `updated/${id}`, updated);
    expect((await get(id)).toString('latin1')).toBe(updated);
    const history = stack.flow.history(id);
    expect(history.map((v) => [v.version, v.source])).toEqual([
      [0, 'load'],
      [1, { bucket: 'updates', key: `updated/${id}` }],
    ]);
    expect(history[0]?.content).toEqual(plain);
  });

  it('answers MessageRejected (400) saying why, and keeps the message', async () => {
    const id = stack.flow.load(plain);
    const error = await failure(put(id, `rejected/${id}`, retitled(plain, 'Grüße')));
    expect(error.name).toBe('MessageRejected');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/line 12 has byte 0xc3 at column 12: content must be 7-bit/);
    expect(stack.flow.history(id)).toHaveLength(1);
    const noDate = plain.toString('latin1').replace(/^Date: .*\n/m, '');
    expect((await failure(put(id, `rejected/${id}-2`, noDate))).message).toMatch(
      /required header Date is missing/,
    );
  });

  it('answers InvalidContentLocation (400) for a missing object or bucket', async () => {
    const id = stack.flow.load(plain);
    const missing = await failure(put(id, 'never/written'));
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['InvalidContentLocation', 400]);
    expect(missing.message).toMatch(/could not read s3:\/\/updates\/never\/written: NoSuchKey/);
    const otherBucket = await failure(
      flowClient(stack).send(
        new PutRawMessageContentCommand({
          messageId: id,
          content: { s3Reference: { bucket: 'elsewhere', key: 'k' } },
        }),
      ),
    );
    expect(otherBucket.name).toBe('InvalidContentLocation');
  });

  it('answers MessageFrozen (400) for a frozen message', async () => {
    const id = stack.flow.load(plain, { frozen: true });
    const error = await failure(put(id, `frozen/${id}`, plain));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['MessageFrozen', 400]);
    stack.flow.freeze(id, false);
    await put(id, `frozen/${id}`);
    expect(stack.flow.history(id)).toHaveLength(2);
  });

  it('answers ValidationException for a key with a dot and for a bad message id', async () => {
    const id = stack.flow.load(plain);
    const dotted = await failure(put(id, 'updated/message.eml', plain));
    expect([dotted.name, dotted.$metadata?.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(dotted.message).toMatch(/content\.s3Reference\.key/);
    expect((await failure(get('UPPER_case'))).name).toBe('ValidationException');
  });

  it('refuses unsigned requests and unknown routes', async () => {
    const unsigned = await fetch(`${stack.flow.endpoint}/messages/abc`);
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([
      403,
      'MissingAuthenticationTokenException',
    ]);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const unknown = await fetch(`${stack.flow.endpoint}/nothing`);
    expect([unknown.status, unknown.headers.get('x-amzn-errortype')]).toEqual([
      404,
      'UnknownOperationException',
    ]);
  });
});
