import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import type { LocalStack } from '@wmflow/local';
import type { FlowClients } from '../../src/index.js';

/** Real SDK clients pointed at a running local stack over loopback. */
export function stackClients(stack: LocalStack): FlowClients {
  const messageFlow = new WorkMailMessageFlowClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 2,
  });
  return { messageFlow, s3: stack.s3 };
}
