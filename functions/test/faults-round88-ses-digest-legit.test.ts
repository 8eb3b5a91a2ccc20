import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 88: round 87's check of the stored message against the MD5 its ETag states, against answers that differ
// from a one-piece unencrypted object's for good reasons. Asked: a whole message read is never failed for them (SES
// retries a failed Lambda action only twice); only an answer that hides what makes its ETag no MD5 fails, by design.
const t = proxyBefore('S3', [UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const PREFIX = 'inbound/';
const MiB = 1024 * 1024;

async function run(id: string, fault: Act = { do: 'forward' }): Promise<string> {
  const path = `/${UPDATES}/${PREFIX}${id}`;
  t.proxy.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
  t.stack.ses.receive(id);
  const handler = guardSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ORGANIZATION_DOMAINS: 'corp.example',
  });
  try {
    const answer = await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 30_000 }),
    );
    return (answer as { disposition: string }).disposition;
  } catch (error) {
    return `error ${(error as Error).message}`;
  } finally {
    t.proxy.decide = () => ({ do: 'forward' });
  }
}

/** The whole object answered in S3's place with `headers` (an ETag that is no MD5 of it, as SSE-KMS gives). */
const answered = (bytes: Buffer, headers: Record<string, string>): Act => ({
  do: 'answer',
  status: 200,
  headers: { 'content-type': 'message/rfc822', 'last-modified': new Date().toUTCString(), ...headers },
  body: bytes.toString('latin1'),
});
const KMS_ETAG = '"5d41402abc4b2a76b9719d911017c592"';

describe('held: a stored message answered differently for good reasons is read and judged (the executable blocked)', () => {
  it('stored by a multipart upload (an ETag with a dash: no MD5 stated, nothing checked)', async () => {
    const id = sesMessageId();
    const bytes = withExe(6 * MiB, `f88-multipart-${id}`);
    const target = { Bucket: UPDATES, Key: `${PREFIX}${id}` };
    const { UploadId } = await t.stack.s3.send(new CreateMultipartUploadCommand(target));
    const parts = [];
    for (const [n, slice] of [bytes.subarray(0, 5 * MiB), bytes.subarray(5 * MiB)].entries()) {
      const { ETag } = await t.stack.s3.send(
        new UploadPartCommand({ ...target, UploadId, PartNumber: n + 1, Body: slice }),
      );
      parts.push({ ETag, PartNumber: n + 1 });
    }
    await t.stack.s3.send(
      new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: parts } }),
    );
    expect(await run(id)).toBe('STOP_RULE_SET');
  }, 60_000);

  it.each([
    ['aws:kms', 'aws:kms'],
    ['aws:kms:dsse', 'aws:kms:dsse'],
  ])(
    'under %s (its ETag no MD5 of the bytes, the header saying so)',
    async (_name, sse) => {
      const id = sesMessageId();
      const bytes = withExe(20_000, `f88-kms-${id}`);
      await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
      expect(await run(id, answered(bytes, { etag: KMS_ETAG, 'x-amz-server-side-encryption': sse }))).toBe(
        'STOP_RULE_SET',
      );
    },
    60_000,
  );
});

/** The hold record guard-ses wrote beside a message it held. */
async function holdReason(id: string): Promise<string> {
  const out = await t.stack.s3.send(new GetObjectCommand({ Bucket: UPDATES, Key: `held/${id}.json` }));
  return (
    JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString()) as {
      reason: string;
    }
  ).reason;
}

describe('decided: answers a store gives that cannot be told from a changed message are held, never judged', () => {
  it('an SSE-KMS answer whose encryption header something in between dropped: held, the record naming the cause', async () => {
    const id = sesMessageId();
    const bytes = withExe(20_000, `f88-kms-dropped-${id}`);
    await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
    expect(await run(id, answered(bytes, { etag: KMS_ETAG }))).toBe('STOP_RULE');
    expect(await holdReason(id)).toMatch(/x-amz-server-side-encryption/);
  }, 60_000);

  it('an object stored with Content-Encoding: gzip (SES stores none): held as round 47 decided, not read', async () => {
    const id = sesMessageId();
    const bytes = withExe(20_000, `f88-gzip-${id}`);
    const put = { Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes, ContentEncoding: 'gzip' };
    await t.stack.s3.send(new PutObjectCommand(put));
    expect(await run(id)).toBe('STOP_RULE');
    expect(await holdReason(id)).toMatch(/Content-Encoding/);
  }, 60_000);
});
