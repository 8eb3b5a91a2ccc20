import { PutObjectCommand } from '@aws-sdk/client-s3';
import { resetDefaultClients } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { blockAttachments } from '@wmflow/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STALLING_RULES, withExe } from './fault-harness.js';

// F42-2 on SES (packages/core/src/ses/invocation.ts: unfinishedRetriedRule before state.freeze, same order as WorkMail).
const BUCKET = 'inbound-mail';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  Object.assign(process.env, stack.env, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  resetDefaultClients();
});

describe('F42-2b (SES): a rethrow protection after a rule that settled, then stalled, at the deadline', () => {
  for (const first of STALLING_RULES) {
    it(`[${first.name}, blockAttachments({ onUndecidable: rethrow })]: run.exe is not let through (CONTINUE)`, async () => {
      const id = sesMessageId();
      await stack.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `inbound/${id}`,
          Body: withExe(20_000, `f42-2b-${first.name}`),
        }),
      );
      stack.ses.receive(id);
      let outcome: string;
      try {
        const answer = await sesFlow({
          rules: [first, blockAttachments({ onUndecidable: 'rethrow' })],
          stored: { bucket: BUCKET, keyPrefix: 'inbound/' },
          organizationDomains: ['corp.example'],
          bounceSender: 'postmaster@corp.example',
        })(
          makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
          lambdaContext({ timeoutMs: 3_000 }),
        );
        outcome = `answered ${JSON.stringify(answer)}`;
      } catch (error) {
        outcome = `error ${(error as Error).name}`;
      }
      expect(outcome).not.toBe('answered {"disposition":"CONTINUE"}');
    }, 30_000);
  }
});
