import { S3Client } from '@aws-sdk/client-s3';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { type LocalStack, S3_ACCESS_KEY_ID, type S3Server } from '../src/index.js';

export const SAMPLES = new URL('../../../samples/eml/', import.meta.url).pathname;

/** A Message Flow client configured only from the stack's env, the way a handler is. */
export function flowClient(stack: LocalStack, extra: { maxAttempts?: number } = {}) {
  const { maxAttempts } = extra;
  return new WorkMailMessageFlowClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

/** An S3 client with the SDK's defaults (flexible checksums on), pointed at the stack. */
export function defaultS3Client(stack: LocalStack): S3Client {
  return new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
  });
}

/** An S3 client with the SDK's defaults, pointed at a bare S3 server (no stack). */
export function serverS3Client(server: S3Server): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' },
  });
}

/** Catches the rejection of `promise`. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected a failure');
}
