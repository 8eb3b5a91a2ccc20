import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowResponse, flow, type Rule, readResponse } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import {
  lambdaContext,
  makeFlowEvent,
  makeSesEvent,
  type SesReceiptVerdicts as SesVerdicts,
  sesMessageId,
} from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { guard } from '../../guard/guard.js';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { useLocalStack } from './stack.js';

const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const ORG = 'corp.example';

/** The local stack with the buckets both engines need: `updates` (WorkMail rewrites) and SES's received mail. */
export function useTwinStack(): () => LocalStack {
  return useLocalStack(['updates', STORED.bucket]);
}

/**
 * Runs one message through the WorkMail and the SES engine (prebuilt guards or a rule list), so a test can
 * hold the twins to the same outcome.
 */
export function twinKit(stack: () => LocalStack) {
  type Verdicts = Record<string, string | undefined>;
  const read = (response: FlowResponse, recipients: readonly string[]): Verdicts => {
    const verdicts = readResponse(response, recipients, 'INBOUND').verdicts;
    return Object.fromEntries(recipients.map((r) => [r, verdicts.get(r)?.type]));
  };
  async function workmail(
    handler: ReturnType<typeof flow>,
    message: Buffer,
    mailFrom: string,
    recipients: string[],
  ) {
    const messageId = stack().flow.load(message);
    const event = makeFlowEvent({ messageId, mailFrom, recipients });
    return read((await handler(event, lambdaContext())) as FlowResponse, recipients);
  }
  async function ses(
    handler: ReturnType<typeof sesFlow>,
    message: Buffer,
    source: string,
    recipients: string[],
    verdicts: SesVerdicts,
  ) {
    const messageId = sesMessageId();
    await stack().s3.send(
      new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: message }),
    );
    stack().ses.receive(messageId);
    const answer = await handler(makeSesEvent({ messageId, source, recipients, verdicts }), lambdaContext());
    return { answer, bounces: stack().ses.bounces(messageId) };
  }
  return {
    /** The WorkMail guard's verdict type per recipient. */
    wmGuard: (message: Buffer, mailFrom = 'x@evil.example', recipients = ['bob@corp.example']) =>
      workmail(
        guard({ ORGANIZATION_DOMAINS: ORG, UPDATES_BUCKET: 'updates' }),
        message,
        mailFrom,
        recipients,
      ),
    /** An inbound WorkMail flow of `rules`: the verdict type per recipient. */
    wmFlow: (rules: Rule<'INBOUND'>[], message: Buffer, mailFrom: string, recipients: string[]) =>
      workmail(
        flow({ direction: 'INBOUND', rules, organizationDomains: [ORG] }),
        message,
        mailFrom,
        recipients,
      ),
    /** guard-ses's answer and the bounces it sent. */
    sesGuard: (
      message: Buffer,
      verdicts: SesVerdicts,
      source = 'x@evil.example',
      recipients = ['bob@corp.example'],
    ) =>
      ses(
        guardSes({
          STORED_BUCKET: STORED.bucket,
          STORED_KEY_PREFIX: STORED.keyPrefix,
          BOUNCE_SENDER: `postmaster@${ORG}`,
          ORGANIZATION_DOMAINS: ORG,
        }),
        message,
        source,
        recipients,
        verdicts,
      ),
    /** An SES flow of `rules`: its answer and the bounces it sent. */
    ses: (
      rules: Rule<'INBOUND'>[],
      message: Buffer,
      source: string,
      recipients: string[],
      verdicts: SesVerdicts = {},
    ) =>
      ses(
        sesFlow({ rules, stored: STORED, bounceSender: `postmaster@${ORG}`, organizationDomains: [ORG] }),
        message,
        source,
        recipients,
        verdicts,
      ),
  };
}
