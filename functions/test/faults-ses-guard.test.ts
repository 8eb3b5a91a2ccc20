import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { resetDefaultClients } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { bigMessage, startFaultStack, UPDATES } from './fault-harness.js';

// guardSes reads the message an SES S3 action stored. When that read fails (a reset mid-body, throttling),
// the invocation fails: no disposition is given from a message that was not read whole, so neither a
// blocked attachment passes (CONTINUE) nor a clean message is bounced.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(53);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
const env = {
  STORED_BUCKET: UPDATES,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ORGANIZATION_DOMAINS: 'corp.example',
};

async function storeSes(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
  stack.ses.receive(id);
  return id;
}
async function invokeSes(id: string): Promise<string> {
  try {
    const answer = await guardSes(env)(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext(),
    );
    return (answer as { disposition: string }).disposition;
  } catch (error) {
    return `error ${(error as Error).name}`;
  }
}

describe('faults: guardSes reading the stored message', () => {
  it('holds the message (STOP_RULE) while every read of the stored message is cut, then decides on the whole message', async () => {
    const big = bigMessage(3_000_000, 'ses-guard-cut').toString('latin1');
    const withExe = Buffer.from(
      big.replace(
        /--b1--\r\n$/,
        `--b1\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${EXE}\r\n--b1--\r\n`,
      ),
      'latin1',
    );
    const blocked = await storeSes(withExe);
    const clean = await storeSes(bigMessage(3_000_000, 'ses-guard-cut-clean'));
    stack.proxies?.s3.configure('seed=53,reset=1');
    const cut = [await invokeSes(blocked), await invokeSes(clean)];
    stack.proxies?.s3.configure('seed=53,throttle=1');
    const throttled = [await invokeSes(blocked), await invokeSes(clean)];
    stack.proxies?.s3.configure('seed=53');
    // Fault round 68: these failed the invocation; SES documents no retry of a failed action, so guard-ses holds them.
    expect(cut).toEqual(['STOP_RULE', 'STOP_RULE']);
    expect(throttled).toEqual(['STOP_RULE', 'STOP_RULE']);
    expect(stack.ses.bounces(blocked)).toHaveLength(0);
    // Read whole at last: the executable is bounced, the clean message goes on.
    expect(await invokeSes(blocked)).toBe('STOP_RULE_SET');
    expect(await invokeSes(clean)).toBe('CONTINUE');
    expect(stack.ses.bounces(blocked)).toHaveLength(1);
    expect(stack.ses.bounces(clean)).toHaveLength(0);
  }, 240_000);

  it('ends its read of the stored message at the deadline: no request of the invocation outlives its answer', async () => {
    const id = await storeSes(bigMessage(100_000, 'ses-guard-stall'));
    // S3 takes the GET and never answers it; the proxy records when the client lets go of the request.
    let closed = false;
    const stall = createServer((req, res) => {
      req.on('close', () => {
        closed = true;
      });
      void res;
    });
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${(stall.address() as AddressInfo).port}`;
    resetDefaultClients();
    try {
      // The deadline guard answers (docs/deploy.md: the guard answers with what is decided so far).
      await guardSes(env)(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 1_500 }),
      ).catch(() => undefined);
      // The invocation has answered: its GET must end now (the test's own timeout is the failure).
      while (!closed) await new Promise((r) => setTimeout(r, 20));
      expect(closed).toBe(true);
    } finally {
      process.env.AWS_ENDPOINT_URL_S3 = saved;
      resetDefaultClients();
      stall.closeAllConnections();
      await new Promise((resolve) => stall.close(resolve));
    }
  }, 30_000);
});
