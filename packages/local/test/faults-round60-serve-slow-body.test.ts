import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetRawMessageContentCommand,
  PutRawMessageContentCommand,
} from '@aws-sdk/client-workmailmessageflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { flowClient, SAMPLES } from './helpers.js';

// Fault round 60 (held): `wmflow serve`'s PutRawMessageContent from a client that sends its body in slow pieces
// (the JSON cut inside a string), and a second update of the same message (through the SDK) answered while the
// first is still arriving. Each is applied whole, once, in the order it completed: no piece spliced into the other,
// no version lost from the history, the message ends as the last one applied. A body over the request limit (64 KiB)
// is refused (400 ValidationException) and commits nothing.
let stack: LocalStack;
let plain: Buffer;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'] });
  plain = await readFile(`${SAMPLES}plain.eml`);
});
afterAll(() => stack.stop());

const SIGNED =
  'Authorization: AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/workmailmessageflow/aws4_request, SignedHeaders=host, Signature=00\r\n';

/** Sends a request in `pieces`, `gapMs` apart; resolves with the status line of the answer. */
function sendSlowly(head: string, pieces: string[], gapMs: number): Promise<string> {
  const url = new URL(stack.flow.endpoint);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(url.port), url.hostname, async () => {
      socket.write(`${head}Host: ${url.host}\r\n${SIGNED}Connection: close\r\n\r\n`);
      for (const piece of pieces) {
        await sleep(gapMs);
        socket.write(piece);
      }
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}

async function read(id: string): Promise<Buffer> {
  const out = await flowClient(stack).send(new GetRawMessageContentCommand({ messageId: id }));
  return Buffer.from(
    await (out.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

describe('round 60: serve, a slow body and a second update while it arrives', () => {
  it('both applied whole, once each, the message the last applied', async () => {
    const id = stack.flow.load(plain);
    const slow = plain.toString('latin1').replace('Subject: Lunch on Thursday?', 'Subject: SLOW');
    const fast = plain.toString('latin1').replace('Subject: Lunch on Thursday?', 'Subject: FAST');
    await stack.s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'r60-slow', Body: slow }));
    await stack.s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'r60-fast', Body: fast }));
    const json = JSON.stringify({ content: { s3Reference: { bucket: 'updates', key: 'r60-slow' } } });
    const cut = [json.slice(0, 20), json.slice(20, 45), json.slice(45)];
    const slowly = sendSlowly(
      `POST /messages/${id} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n`,
      cut,
      150,
    );
    await sleep(100);
    await flowClient(stack).send(
      new PutRawMessageContentCommand({
        messageId: id,
        content: { s3Reference: { bucket: 'updates', key: 'r60-fast' } },
      }),
    );
    expect(await slowly).toBe('HTTP/1.1 200 OK');
    const versions = stack.flow.history(id).map((v) => Buffer.from(v.content).toString('latin1'));
    expect(versions).toEqual([plain.toString('latin1'), fast, slow]);
    expect((await read(id)).toString('latin1')).toBe(slow);
  }, 30_000);

  it('a request body over the limit, sent slowly: refused, nothing committed', async () => {
    const id = stack.flow.load(plain);
    const json = JSON.stringify({
      content: { s3Reference: { bucket: 'updates', key: 'r60-slow' } },
      pad: 'x'.repeat(70 * 1024),
    });
    const pieces = [json.slice(0, 40_000), json.slice(40_000)];
    const status = await sendSlowly(
      `POST /messages/${id} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n`,
      pieces,
      50,
    );
    expect(status).toMatch(/^HTTP\/1\.1 400 /);
    expect(stack.flow.history(id)).toHaveLength(1);
    expect((await read(id)).equals(plain)).toBe(true);
  }, 30_000);
});
