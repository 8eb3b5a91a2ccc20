import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Act, type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { wmflow } from './replay-helpers.js';

// Fault round 52 (F52-5): `wmflow quarantine show` piped S3's answer to stdout as it came: a body cut on its way
// (delimited by the connection's close, or chunked and ended early), a part of the object (206) or a compressed copy
// was written as "the message, byte for byte" and the command exited 0 — and the guide has an operator deliver a
// released message to a relay from `show`'s bytes. Now such an answer fails the command (exit 1, one line).
const BUCKET = 'acme-inbound';
const KEY = 'quarantine/m1';
const message = `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: report\r\n\r\n${'line of the report\r\n'.repeat(2_000)}`;
let stack: LocalStack;
let proxy: ScriptedProxy;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: message }));
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
});
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

async function show(fault: Act) {
  proxy.decide = (req) => (req.method === 'GET' && (req.url ?? '').includes(KEY) ? fault : { do: 'forward' });
  return wmflow(['quarantine', 'show', `s3://${BUCKET}/${KEY}`], {
    ...stack.env,
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    AWS_MAX_ATTEMPTS: '1',
  });
}

describe('F52-5: wmflow quarantine show writes the whole message or fails', () => {
  it('control: the whole message, exit 0', async () => {
    const run = await show({ do: 'forward' });
    expect([run.code, run.stdout === message, run.stderr]).toEqual([0, true, '']);
  }, 60_000);

  it.each([
    ['cut, delimited by the close', { do: 'forward-close-delimited', keep: 9_000 } as Act],
    ['cut, chunked and ended early', { do: 'forward-chunked-cut', keep: 9_000 } as Act],
    [
      'a part of the object (206)',
      {
        do: 'answer',
        status: 206,
        headers: { 'content-range': `bytes 0-99/${message.length}`, 'content-type': 'message/rfc822' },
        body: message.slice(0, 100),
      } as Act,
    ],
  ])(
    '%s: exit 1, says so',
    async (_label, fault) => {
      const run = await show(fault);
      expect(run.code).toBe(1);
      expect(run.stdout).not.toBe(message);
      expect(run.stderr).toMatch(new RegExp(`^wmflow quarantine: s3://${BUCKET}/${KEY}: [^\\n]+\\n$`));
    },
    60_000,
  );
});
