import { when } from '@wmflow/core';
import { type SesFlowOutcome, sesFlow } from '@wmflow/core/ses';
import { captureLogger, lambdaContext, makeSesEvent, type SesReceiptVerdicts } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFailed, enforceSesVerdicts, sesVerdict } from '../src/auth/index.js';
import { dropMessage } from '../src/verdicts/index.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['inbound-mail'] });
});
afterAll(() => stack?.stop());

/** Runs @wmflow/rules' rules, unchanged, on the SES engine over a receipt whose message was never stored. */
async function onSes(rules: Parameters<typeof sesFlow>[0]['rules'], verdicts: SesReceiptVerdicts) {
  const logger = captureLogger();
  const event = makeSesEvent({ recipients: ['alice@corp.example'], verdicts });
  stack.ses.receive(event.Records[0].ses.mail.messageId);
  const answer = await sesFlow({
    rules,
    stored: { bucket: 'inbound-mail', keyPrefix: 'never-written/' },
    bounceSender: 'postmaster@corp.example',
    clients: { s3: stack.s3, ses: stack.sesClient },
    logger,
  })(event, lambdaContext());
  return { answer, outcome: logger.lines.at(-1)?.attributes as SesFlowOutcome | undefined };
}

describe('@wmflow/rules on the SES engine: verdicts from the receipt, no header read', () => {
  it('authFailed() sees a DMARC FAIL from the receipt', async () => {
    const r = await onSes([when(authFailed(), dropMessage())], { dmarc: 'FAIL', dmarcPolicy: 'reject' });
    expect(r.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(r.outcome?.failures).toEqual([]); // the stored object does not exist: nothing tried to read it
    const pass = await onSes([when(authFailed(), dropMessage())], {});
    expect(pass.answer).toEqual({ disposition: 'CONTINUE' });
  });

  it('sesVerdict() and enforceSesVerdicts() act on spam and virus verdicts', async () => {
    const spam = await onSes([when(sesVerdict({ spam: ['FAIL'] }), dropMessage())], { spam: 'FAIL' });
    expect(spam.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    const virus = await onSes([enforceSesVerdicts()], { virus: 'FAIL', spam: 'FAIL' });
    expect(virus.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(virus.outcome?.bounce).toMatchObject({ status: 'sent', recipients: ['alice@corp.example'] });
    const junk = await onSes([enforceSesVerdicts()], { spam: 'FAIL' });
    expect(junk.answer).toEqual({ disposition: 'STOP_RULE' });
  });
});
