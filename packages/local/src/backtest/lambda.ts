/**
 * Lambda entry of the Step Functions backtest (template-backtest.yaml): the
 * journal client is made from the function's own credentials before the
 * session points the process's AWS settings at the in-process emulators.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { batchRunner } from './batch.js';

const env = process.env;
const journal = new S3Client({
  ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
  ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        },
      }
    : {}),
  ...(env.AWS_ENDPOINT_URL_S3 ? { endpoint: env.AWS_ENDPOINT_URL_S3 } : {}),
});

export const handler = batchRunner(journal);
