import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { guardSes } from '../../guard-ses/guard-ses.js';

const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };

/**
 * guard-ses at the organization `corp.example` (more settings in `env`) over `stack`: stores `bytes` as the receipt
 * rule's S3 action would and answers the Lambda action's event, which lists the message's own header fields.
 */
export function sesGuardKit(stack: () => LocalStack) {
  return async (
    bytes: Buffer,
    verdicts: SesReceiptVerdicts,
    source: string,
    env: Record<string, string> = {},
  ): Promise<{ disposition: string }> => {
    const handler = guardSes({
      ORGANIZATION_DOMAINS: 'corp.example',
      STORED_BUCKET: STORED.bucket,
      STORED_KEY_PREFIX: STORED.keyPrefix,
      BOUNCE_SENDER: 'postmaster@corp.example',
      ...env,
    });
    const messageId = sesMessageId();
    await stack().s3.send(
      new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
    );
    stack().ses.receive(messageId);
    const text = bytes.toString('utf-8');
    const headers = text
      .slice(0, text.indexOf('\r\n\r\n'))
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map((line) => ({
        name: line.slice(0, line.indexOf(':')),
        value: line.slice(line.indexOf(':') + 1).trim(),
      }));
    const event = makeSesEvent({ messageId, source, recipients: ['bob@corp.example'], headers, verdicts });
    return (await handler(event, lambdaContext())) as { disposition: string };
  };
}
