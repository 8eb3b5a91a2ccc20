import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type Rule, resetDefaultClients } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

// F42-1b: SES. The removal check's read (`matchesRemoval`, packages/core/src/ses/invocation.ts) runs AFTER the chain's
// deadline race, with no budget of its own and the invocation's abort signal never fired (the state froze only on a
// deadline hit): a stored-message GET that stalls holds the answer past SES's wait (and the Lambda's own timeout).
const BUCKET = 'inbound-mail';
let stack: LocalStack;
let s3p: ScriptedProxy;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  s3p = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_S3: s3p.endpoint,
    AWS_MAX_ATTEMPTS: '2',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  await s3p?.close();
  await stack?.stop();
  resetDefaultClients();
});

const PLAIN = Buffer.from(
  'From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: hello\r\n' +
    'Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <f42-1b@partner.example>\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo attachment here.\r\n',
);

const stripExe: Rule = {
  name: 'strip-exe',
  onError: 'fail-open',
  run(ctx) {
    ctx.edit.removeAttachments((p) => /\.exe$/i.test(p.filename ?? ''), 'executables removed');
  },
};

describe('F42-1b: SES removal check whose read stalls', () => {
  it('the handler settles within the Lambda budget (4 s) instead of waiting on the stalled read', async () => {
    const id = sesMessageId();
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: PLAIN }));
    stack.ses.receive(id);
    s3p.decide = (req) =>
      req.method === 'GET' && (req.url ?? '').includes(id) ? { do: 'hang' } : { do: 'forward' };
    const started = Date.now();
    const handler = sesFlow({
      rules: [stripExe],
      stored: { bucket: BUCKET, keyPrefix: 'inbound/' },
      organizationDomains: ['corp.example'],
      bounceSender: 'postmaster@corp.example',
    });
    const settled = await Promise.race([
      handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 4_000 }),
      ).then(
        (a) => `answered ${JSON.stringify(a)}`,
        (e: Error) => `error ${e.name}`,
      ),
      new Promise<string>((r) => setTimeout(() => r('still waiting'), 12_000)),
    ]);
    const ms = Date.now() - started;
    s3p.decide = () => ({ do: 'forward' });
    expect({ settled, inBudget: ms <= 4_000 }, `${settled} after ${ms} ms`).toMatchObject({ inBudget: true });
  }, 30_000);
});
