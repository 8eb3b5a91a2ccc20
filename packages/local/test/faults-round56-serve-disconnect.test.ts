import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand } from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { flowClient, SAMPLES } from './helpers.js';

// Fault round 56 (held; coverage the suite lacked): `wmflow serve`'s emulated PutRawMessageContent answering a client
// that disconnects mid-body. The part of the body that arrived is a whole JSON document naming a valid update (the
// client announced more bytes than it sent): the emulator must not take it for the request and commit the update.
// Node reports the request aborted, and the message keeps its one version. GetRawMessageContent whose reader leaves
// mid-body changes nothing either: the next read gets the message whole.
let stack: LocalStack;
let plain: Buffer;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'] });
  plain = await readFile(`${SAMPLES}plain.eml`);
});
afterAll(() => stack.stop());

const SIGNED =
  'Authorization: AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/workmailmessageflow/aws4_request, SignedHeaders=host, Signature=00\r\n';

/** Sends `head` and `body` on a raw connection, then closes it as soon as they are written. */
function sendAndLeave(head: string, body: string): Promise<void> {
  const url = new URL(stack.flow.endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`${head}Host: ${url.host}\r\n${SIGNED}\r\n${body}`, () => socket.destroy());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/** Waits until the emulator has logged `count` requests for the message. */
async function logged(id: string, count: number) {
  for (;;) {
    const seen = stack.flow.requests().filter((r) => r.messageId === id);
    if (seen.length >= count) return seen;
    await new Promise((r) => setImmediate(r));
  }
}

async function read(id: string): Promise<Buffer> {
  const out = await flowClient(stack).send(new GetRawMessageContentCommand({ messageId: id }));
  return Buffer.from(
    await (out.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

describe('round 56: serve answering a client that disconnects mid-body', () => {
  it('PutRawMessageContent whose arrived part is a whole request: nothing committed', async () => {
    const id = stack.flow.load(plain);
    const update = plain.toString('latin1').replace('Subject: Lunch on Thursday?', 'Subject: CHANGED');
    await stack.s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'r56-update', Body: update }));
    const json = JSON.stringify({ content: { s3Reference: { bucket: 'updates', key: 'r56-update' } } });
    await sendAndLeave(
      `POST /messages/${id} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${json.length + 40}\r\n`,
      json,
    );
    const [entry] = await logged(id, 1);
    expect(entry?.status).not.toBe(200);
    expect(stack.flow.history(id)).toHaveLength(1);
    expect((await read(id)).equals(plain)).toBe(true);
  }, 30_000);

  it('GetRawMessageContent left before its answer is read: the message is unchanged and read whole after', async () => {
    const id = stack.flow.load(plain);
    await sendAndLeave(`GET /messages/${id} HTTP/1.1\r\n`, '');
    await logged(id, 1);
    expect(stack.flow.history(id)).toHaveLength(1);
    expect((await read(id)).equals(plain)).toBe(true);
  }, 30_000);
});
