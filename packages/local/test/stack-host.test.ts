import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSendQuotaCommand, SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';

// `wmflow serve --host ADDR` (for `sam local invoke`, whose containers cannot reach 127.0.0.1): every endpoint it
// exports must be on that address and answer there. 127.0.0.2 is a loopback address other than 127.0.0.1.
const HOST = '127.0.0.2';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ host: HOST });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

it('listens on the given address with every server, and exports only endpoints there', async () => {
  const endpoints = Object.entries(stack.env).filter(([name]) => name.startsWith('AWS_ENDPOINT_URL_'));
  expect(endpoints.map(([name]) => name).sort()).toEqual([
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_SES',
    'AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW',
  ]);
  for (const [name, url] of endpoints) expect(new URL(url).hostname, name).toBe(HOST);
  const config = {
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
  };
  const dynamo = new DynamoDBClient({ ...config, endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB });
  const s3 = new S3Client({ ...config, endpoint: stack.env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const ses = new SESClient({ ...config, endpoint: stack.env.AWS_ENDPOINT_URL_SES });
  try {
    expect((await dynamo.send(new ListTablesCommand({}))).TableNames).toEqual(['wmflow-rate']);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['wmflow-local']);
    // The SES emulation speaks only what the adapter calls: any answer from it shows it listens there.
    const answer = await ses.send(new GetSendQuotaCommand({})).then(
      () => 'answered',
      (error: { $metadata?: { httpStatusCode?: number } }) =>
        error.$metadata?.httpStatusCode ?? 'unreachable',
    );
    expect(answer).not.toBe('unreachable');
  } finally {
    dynamo.destroy();
    s3.destroy();
    ses.destroy();
  }
});
