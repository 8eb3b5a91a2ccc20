import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../../../../test-support/restore-env.js';
import {
  resetSharedS3Client,
  sharedS3Client,
  UNSIGNED_PAYLOAD_FROM_BYTES,
  unsignedLargePayloads,
} from '../../src/index.js';

let stack: LocalStack;
const saved = { ...process.env };
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'] });
  Object.assign(process.env, stack.env, { AWS_S3_FORCE_PATH_STYLE: 'true' });
  resetSharedS3Client();
}, 60_000);
afterAll(async () => {
  restoreEnv(saved);
  resetSharedS3Client();
  await stack?.stop();
});

/** Records the payload hash header of each request as signed (after the signer ran). */
function signedPayloads(client: S3Client, stop = false): string[] {
  const seen: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push((args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] ?? '');
      if (stop) throw new Error('stopped before sending');
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordPayloadHash' },
  );
  return seen;
}

describe('unsigned payloads for large bodies', () => {
  it('sends a large body unsigned to a loopback S3, small ones signed, and S3 stores both whole', async () => {
    const s3 = sharedS3Client();
    const seen = signedPayloads(s3);
    const large = Buffer.alloc(UNSIGNED_PAYLOAD_FROM_BYTES + 1, 0x61);
    const small = Buffer.from('small body');
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'large', Body: large }));
    await s3.send(new PutObjectCommand({ Bucket: 'updates', Key: 'small', Body: small }));
    expect(seen).toEqual(['UNSIGNED-PAYLOAD', createHash('sha256').update(small).digest('hex')]);
    for (const [key, body] of [
      ['large', large],
      ['small', small],
    ] as const) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'updates', Key: key }));
      expect(
        Buffer.from(
          await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        ),
      ).toEqual(body);
    }
  });

  // A DNS name that starts like a loopback address is not one: plain HTTP to it keeps the payload signed.
  it.each(['http://s3.internal.example', 'http://127.s3.internal.example'])(
    'keeps the payload signed over plain HTTP to a host that is not loopback: %s',
    async (endpoint) => {
      const s3 = unsignedLargePayloads(
        new S3Client({
          endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        }),
      );
      const seen = signedPayloads(s3, true);
      const large = Buffer.alloc(UNSIGNED_PAYLOAD_FROM_BYTES * 2, 0x62);
      await expect(s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: large }))).rejects.toThrow(
        'stopped before sending',
      );
      expect(seen).toEqual([createHash('sha256').update(large).digest('hex')]);
    },
  );

  it('sends a large body unsigned over HTTPS', async () => {
    const s3 = unsignedLargePayloads(
      new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    );
    const seen = signedPayloads(s3, true);
    await expect(
      s3.send(
        new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Buffer.alloc(UNSIGNED_PAYLOAD_FROM_BYTES) }),
      ),
    ).rejects.toThrow('stopped before sending');
    expect(seen).toEqual(['UNSIGNED-PAYLOAD']);
  });
});
