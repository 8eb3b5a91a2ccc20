import { type SesFlowHandler, sesFlow } from '@wmflow/core/ses';
import { ARCHIVER_SETTINGS, archiverRules } from '../archiver/archiver.js';
import { type Env, FunctionConfig } from '../shared/config.js';
import { SES_SETTINGS, sesOptions, unusedOnSes } from '../shared/ses.js';

/**
 * The archiver on SES: a receipt rule's S3 action has stored the message; this Lambda action journals it
 * byte for byte to the journal bucket with the same key, metadata and first-write-wins idempotency as on
 * WorkMail, and answers CONTINUE. Invoke it as `Event`, as template-ses.yaml does: journaling never delays
 * mail, and a failed copy fails the invocation, which Lambda retries (twice, for an asynchronous invocation).
 * Under `RequestResponse` SES documents no retry of a failed action: a failed copy would be lost.
 *
 * @example
 * ```ts
 * export const handler = archiverSes({ JOURNAL_BUCKET: 'acme-journal', STORED_BUCKET: 'acme-inbound' });
 * ```
 */
export function archiverSes(env: Env): SesFlowHandler {
  const config = new FunctionConfig(env, [...ARCHIVER_SETTINGS, ...SES_SETTINGS]);
  return sesFlow({
    rules: archiverRules(config),
    ...sesOptions(config, false),
    organizationDomains: config.organizationDomains(),
    // A journal must not be lost: a failed copy fails the invocation, so it is retried.
    onError: 'rethrow',
    // Invoked as Event (template-ses.yaml): SES does not wait, so a slow copy may use the Lambda's whole time
    // instead of failing at SES's 30 s RequestResponse wait (fault round 44).
    invocationType: 'Event',
    notes: unusedOnSes(config, ['SYNCHRONOUS'], 'the receipt rule’s invocation type decides'),
  });
}
