import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { resetDefaultClients } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';

// guardSes bounces a message after its rules ran, with SendBounce. An SES endpoint that never answers held the
// invocation past SES's wait and the Lambda's time (fault round 21): the call is now aborted when the answer is due,
// and the message stays stopped, the bounce reported failed.
const BUCKET = 'inbound-mail';
let stack: LocalStack;
let silent: Server;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  // Takes each request and never answers it.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  silent?.closeAllConnections();
  silent?.close();
  await stack?.stop();
  resetDefaultClients();
});

describe('faults: SendBounce that never answers (guardSes)', () => {
  it('answers STOP_RULE_SET before the Lambda’s time ends, the bounce reported failed', async () => {
    const id = sesMessageId();
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
    stack.ses.receive(id);
    const handler = guardSes({
      STORED_BUCKET: BUCKET,
      STORED_KEY_PREFIX: 'inbound/',
      BOUNCE_SENDER: 'postmaster@corp.example',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    // Without the abort the call waits for the SDK's own timeout (none): the test's timeout ends it, failing.
    const answer = await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 3_000 }),
    );
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(stack.ses.bounces(id)).toEqual([]);
  }, 20_000);
});
