import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';

// s3rver reads a bucket's CORS configuration for every request; the local S3 remembers it between writes.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['site'] });
  await stack.s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'page', Body: 'hello' }));
});
afterAll(async () => {
  await stack.stop();
});

/** The CORS header s3rver sets on a GET from `origin`, or null. */
async function allowedOrigin(origin: string): Promise<string | null> {
  const res = await fetch(`${stack.env.AWS_ENDPOINT_URL_S3}/site/page`, { headers: { origin } });
  await res.arrayBuffer();
  return res.headers.get('access-control-allow-origin');
}

describe('S3 harness: bucket configurations', () => {
  it('answers by the CORS configuration as it is after each put and delete', async () => {
    expect(await allowedOrigin('https://app.example')).toBeNull();
    const cors = (origin: string) =>
      new PutBucketCorsCommand({
        Bucket: 'site',
        CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: [origin] }] },
      });
    await stack.s3.send(cors('https://app.example'));
    expect(await allowedOrigin('https://app.example')).toBe('https://app.example');
    await stack.s3.send(cors('https://other.example'));
    expect(await allowedOrigin('https://app.example')).toBeNull();
    expect(await allowedOrigin('https://other.example')).toBe('https://other.example');
    const got = await stack.s3.send(new GetBucketCorsCommand({ Bucket: 'site' }));
    expect(got.CORSRules?.[0]?.AllowedOrigins).toEqual(['https://other.example']);
    await stack.s3.send(new DeleteBucketCorsCommand({ Bucket: 'site' }));
    expect(await allowedOrigin('https://other.example')).toBeNull();
  });
});
