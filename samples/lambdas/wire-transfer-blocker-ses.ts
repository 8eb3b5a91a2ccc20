/**
 * The same policy as wire-transfer-blocker.ts, on Amazon SES inbound: a receipt rule stores the message
 * with an S3 action, then calls this Lambda action (RequestResponse). The rule is imported unchanged;
 * only the engine's handler differs. See docs/moving-off-workmail.md.
 */
import { sesFlow } from '@wmflow/core/ses';
import { blockWireTransferRequests } from './wire-transfer-blocker.js';

/** The Lambda handler the receipt rule's Lambda action invokes. */
export const handler = sesFlow({
  rules: [blockWireTransferRequests],
  stored: {
    bucket: process.env.STORED_BUCKET ?? 'wmflow-inbound',
    keyPrefix: process.env.STORED_KEY_PREFIX ?? 'inbound/',
  },
  ...(process.env.BOUNCE_SENDER ? { bounceSender: process.env.BOUNCE_SENDER } : {}),
});
