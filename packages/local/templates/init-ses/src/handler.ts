/**
 * An Amazon SES receipt rule's Lambda action (RequestResponse), after the S3 action that stores the
 * message: it runs the rules of `src/rules.ts` and answers SES with a disposition.
 */
import { sesFlow } from '@wmflow/core/ses';
import { rules } from './rules.js';

/** The Lambda handler the receipt rule invokes (bundled by `npm run bundle`, Handler `index.handler`). */
export const handler = sesFlow({
  rules,
  // Where the receipt rule's S3 action stores each message: set by template.yaml, and by
  // `wmflow replay --engine ses` (npm test) for the local copy.
  stored: {
    bucket: process.env.STORED_BUCKET ?? 'wmflow-inbound',
    keyPrefix: process.env.STORED_KEY_PREFIX ?? 'inbound/',
  },
  // The From of bounces (a verified SES identity); without it a BOUNCE verdict stops the message unbounced.
  ...(process.env.BOUNCE_SENDER ? { bounceSender: process.env.BOUNCE_SENDER } : {}),
});
