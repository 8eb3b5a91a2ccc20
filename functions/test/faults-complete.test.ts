import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetDefaultClients } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restoreEnv } from '../../test-support/restore-env.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';

// A CompleteMultipartUpload that S3 applies but whose answer never comes back: the SDK sends it again and
// the upload is gone, NoSuchUpload (the local S3 always answers so; AWS may answer a repeated Complete with
// success for a while). The update is then committed, or the invocation fails so WorkMail retries it:
// never a bounce, never mail delivered without its edit, for what was only a lost answer. The proxy opens
// a connection per request and drops `Expect: 100-continue` (it sends each body whole, at once).
let stack: LocalStack;
let proxy: ReturnType<typeof createServer>;
let lose = 0;
const completes: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [UPDATES] });
  const upstream = new URL(stack.env.AWS_ENDPOINT_URL_S3 as string);
  proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const isComplete = req.method === 'POST' && /[?&]uploadId=/.test(req.url ?? '');
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: withoutExpect(req.headers),
          agent: false,
        },
        (answer) => {
          if (isComplete) completes.push(`${answer.statusCode}${lose > 0 ? ' (answer lost)' : ''}`);
          if (isComplete && lose > 0) {
            lose--;
            answer.resume();
            answer.on('end', () => res.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    AWS_MAX_ATTEMPTS: '3',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  restoreEnv(saved);
  resetDefaultClients();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await stack?.stop();
});
beforeEach(() => {
  completes.length = 0;
  lose = 0;
});

function withoutExpect(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { expect: _, ...rest } = headers;
  return rest;
}

const report = (bytes: Buffer) =>
  bytes.subarray(
    bytes.indexOf('--b1\r\nContent-Type: application/pdf'),
    bytes.indexOf('--b1\r\nContent-Type: application/octet'),
  );
const delivered = (id: string) => stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);

describe('faults: a multipart update whose Complete answer is lost', () => {
  it('guard strip: the invocation fails and its retry delivers the message stripped, never a bounce', async () => {
    const bytes = withExe(6_000_000, 'complete-lost-strip');
    const id = stack.flow.load(bytes);
    lose = 1;
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event);
    expect(completes.slice(0, 2)).toEqual(['200 (answer lost)', '404']); // applied, then NoSuchUpload
    expect(run.errors.length, describeErrors(run.errors)).toBe(1);
    expect(firstAction(run.response)).toBe('DEFAULT');
    const out = delivered(id);
    expect(out.includes('run.exe')).toBe(false);
    expect(out.includes(report(bytes))).toBe(true);
  }, 240_000);

  it('outbound disclaimer: the invocation fails and its retry sends the message with the disclaimer', async () => {
    const text = 'Confidential: for the addressee only.';
    const bytes = bigMessage(6_000_000, 'complete-lost-disclaimer');
    const id = stack.flow.load(bytes);
    lose = 1;
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: text,
    });
    const event = makeFlowEvent({
      messageId: id,
      direction: 'OUTBOUND',
      mailFrom: 'dan@corp.example',
      recipients: ['partner@shop.example'],
    });
    const run = await invokeUntilAnswered(handler, event);
    expect(completes.slice(0, 2)).toEqual(['200 (answer lost)', '404']);
    expect(run.errors.length, describeErrors(run.errors)).toBe(1);
    expect(firstAction(run.response)).toBe('DEFAULT');
    const out = delivered(id).toString('latin1');
    expect(out.split(text).length).toBe(2); // exactly one disclaimer
    expect(
      delivered(id).includes(bytes.subarray(bytes.indexOf('--b1\r\nContent-Type: application/pdf'))),
    ).toBe(true);
  }, 240_000);
});
