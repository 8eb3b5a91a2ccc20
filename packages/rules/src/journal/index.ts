import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  bucketNameProblem,
  ConfigError,
  checkOptionNames,
  type ErrorPolicy,
  type Rule,
  type RuleContext,
  sharedS3Client,
  verdictKey,
} from '@wmflow/core';
import { ruleName } from '../internal/config.js';

import { earlierCopy, earlierKeys } from './earlier-copy.js';
import { DEFAULT_KEY_TEMPLATE, journalDate, keyTemplate } from './key.js';
import { JournalError } from './store.js';
import { journalOnce, type Repaired } from './write.js';

/** Options of {@link journalToS3}. */
export interface JournalToS3Options {
  bucket: string;
  /** Key template (see `keyTemplate`). Default `journal/{direction}/{yyyy}/{mm}/{dd}/{messageId}`. */
  keyTemplate?: string;
  /** Client to use; default core's `sharedS3Client()`. */
  s3?: S3Client;
  /** Server-side encryption. Default SSE-S3 (`AES256`). */
  encryption?: { type: 'SSE-S3' } | { type: 'SSE-KMS'; kmsKeyId?: string };
  /** Object Lock retention of the copy (the bucket must have Object Lock enabled). */
  retention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
  /** Write `<key>.json` with envelope, direction, verdicts so far, sha256 and size. Default true. */
  metadata?: boolean;
  /** Multipart part size in bytes (≥ 5 MiB). Default 5 MiB. */
  partSize?: number;
  /** Parts uploaded at once (1–16); memory held is about `(parallelParts + 1) × partSize`. Default 3. */
  parallelParts?: number;
  /**
   * A message whose size its source announced, up to this many bytes, streams into one PutObject while it
   * downloads (no part buffers in memory); a larger or unannounced one goes in parallel multipart parts.
   * Default 64 MiB (every WorkMail and SES message); 0 always uses parts.
   */
  streamMaxBytes?: number;
  /** Error policy. Default `'rethrow'`: WorkMail retries, so no message goes unjournaled silently. */
  onError?: ErrorPolicy;
  name?: string;
}

/**
 * Journals every message to S3, byte for byte, with a JSON metadata object beside it. A side-effect
 * rule: it runs whatever the verdicts, in synchronous and asynchronous flows. One pass: the message
 * streams from WorkMail into S3 while it is hashed (one streamed PutObject when its size is announced,
 * else multipart parts in parallel; bounded memory either way), and
 * S3 itself keeps the first copy (`If-None-Match: *` on PutObject and CompleteMultipartUpload, 412 when
 * the key exists). The metadata (sha256, size) is written after the copy, from the bytes uploaded.
 * Idempotent across WorkMail retries: the key depends only on the message id, the direction and the
 * invocation's UTC date (never on message headers); when it is taken, the stored copy is read back and must match what was just hashed. A copy
 * that does not match is never trusted nor overwritten: the verified copy goes to
 * `<key>.repaired-<sha256 prefix>` and the mismatch is logged. S3 failures are `JournalError`s `s3`; by
 * default the rule rethrows, so the invocation fails and WorkMail retries it — a compliance journal
 * must not lose a message silently, whatever the flow's own policy.
 *
 * @example
 * ```ts
 * export const handler = flow({
 *   synchronous: false,
 *   rules: [journalToS3({ bucket: process.env.JOURNAL_BUCKET ?? '', encryption: { type: 'SSE-KMS' } })],
 * });
 * ```
 */
export function journalToS3(options: JournalToS3Options): Rule {
  checkOptionNames('journalToS3', options, {
    bucket: true,
    keyTemplate: true,
    s3: true,
    encryption: true,
    retention: true,
    metadata: true,
    partSize: true,
    parallelParts: true,
    streamMaxBytes: true,
    onError: true,
    name: true,
  });
  const o = checkOptions(options);
  return {
    name: o.name,
    sideEffect: true,
    onError: o.onError,
    async run(ctx) {
      // Keyed without parsing the message: journaling must not depend on its headers.
      const values = { messageId: ctx.messageId, invocationId: ctx.invocationId, direction: ctx.direction };
      const now = Date.now();
      // The engine's receipt time where it states one (SES), the same in every retry: a retry across midnight (or
      // the hour, with `{hh}`) files no second copy (fault round 82). WorkMail states none: the clock.
      let key = o.key({ ...values, date: journalDate(ctx.receivedAt ?? now) });
      if (ctx.audit) return ctx.note(`would journal to s3://${o.bucket}/${key}`);
      const s3 = o.s3 ?? sharedS3Client();
      // By the clock, a retry after the date changed looks first where its earlier attempt filed the copy, and
      // completes that one (fault round 84).
      const earlier = ctx.receivedAt === undefined ? earlierKeys(o.key, values, now) : [];
      try {
        const found = earlier.length > 0 ? await earlierCopy(ctx, s3, o.bucket, earlier) : undefined;
        if (found !== undefined) {
          ctx.note(`a copy was filed at ${found} before the date changed (retry): completing that one`);
          key = found;
        }
        await journalOnce(ctx, {
          s3,
          bucket: o.bucket,
          key,
          put: o.put,
          partSize: o.partSize,
          parallel: o.parallelParts,
          streamMaxBytes: o.streamMaxBytes,
          metadata: o.metadata ? (written) => metadataBody(ctx, written) : undefined,
        });
      } catch (error) {
        if (error instanceof JournalError) throw error;
        throw new JournalError(
          's3',
          key,
          `journal to s3://${o.bucket}/${key} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}

function metadataBody(
  ctx: RuleContext,
  written: { key: string; sha256: string; size: number; repairs?: Repaired },
): string {
  const verdicts: Record<string, string> = {};
  for (const r of ctx.recipients) {
    const v = ctx.verdictOf(r);
    verdicts[r] = v ? verdictKey(v) : 'OPEN';
  }
  const { key, sha256, size, repairs } = written;
  const record = {
    key,
    messageId: ctx.messageId,
    invocationId: ctx.invocationId,
    direction: ctx.direction,
    synchronous: ctx.synchronous,
    envelope: ctx.envelope,
    subject: ctx.subject,
    verdictsSoFar: verdicts,
    rulesFiredSoFar: ctx.fired.map((f) => f.rule),
    sha256,
    size,
    journaledAt: new Date().toISOString(),
    ...(repairs ? { repairs } : {}),
  };
  return JSON.stringify(record, null, 2);
}

function checkOptions(options: JournalToS3Options) {
  if (options.bucket === '')
    throw new ConfigError(
      'bucket',
      'is empty: name the bucket (an environment variable it is read from is not set?)',
    );
  const problem = bucketNameProblem(options.bucket);
  if (problem) throw new ConfigError('bucket', `must be an S3 bucket name: ${problem}`);
  const enc = options.encryption ?? { type: 'SSE-S3' };
  if (enc.type !== 'SSE-S3' && enc.type !== 'SSE-KMS')
    throw new ConfigError('encryption', 'must be SSE-S3 or SSE-KMS');
  const put: Partial<PutObjectCommandInput> = {
    ContentType: 'message/rfc822',
    ServerSideEncryption: enc.type === 'SSE-KMS' ? 'aws:kms' : 'AES256',
  };
  if (enc.type === 'SSE-KMS' && enc.kmsKeyId !== undefined) {
    if (typeof enc.kmsKeyId !== 'string' || !/^[A-Za-z0-9:/_-]{1,2048}$/.test(enc.kmsKeyId))
      throw new ConfigError('encryption.kmsKeyId', 'must be a KMS key id, ARN or alias');
    put.SSEKMSKeyId = enc.kmsKeyId;
  }
  const retention = options.retention;
  if (retention) {
    if (retention.mode !== 'GOVERNANCE' && retention.mode !== 'COMPLIANCE')
      throw new ConfigError('retention.mode', 'must be GOVERNANCE or COMPLIANCE');
    if (!Number.isSafeInteger(retention.days) || retention.days < 1 || retention.days > 36500)
      throw new ConfigError('retention.days', 'must be 1..36500');
  }
  const partSize = options.partSize ?? 5 * 1024 * 1024;
  if (!Number.isSafeInteger(partSize) || partSize < 5 * 1024 * 1024)
    throw new ConfigError('partSize', 'must be at least 5 MiB');
  const parallelParts = options.parallelParts ?? 3;
  if (!Number.isSafeInteger(parallelParts) || parallelParts < 1 || parallelParts > 16)
    throw new ConfigError('parallelParts', 'must be 1..16');
  const streamMaxBytes = options.streamMaxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(streamMaxBytes) || streamMaxBytes < 0 || streamMaxBytes > 5 * 1024 ** 3)
    throw new ConfigError('streamMaxBytes', 'must be 0..5 GiB (S3 PutObject limit)');
  const lock = (): Partial<PutObjectCommandInput> =>
    retention
      ? {
          ObjectLockMode: retention.mode,
          ObjectLockRetainUntilDate: new Date(Date.now() + retention.days * 86_400_000),
          ChecksumAlgorithm: 'SHA256',
        }
      : {};
  return {
    bucket: options.bucket,
    key: keyTemplate(options.keyTemplate ?? DEFAULT_KEY_TEMPLATE),
    s3: options.s3,
    get put() {
      return { ...put, ...lock() };
    },
    metadata: options.metadata ?? true,
    partSize,
    parallelParts,
    streamMaxBytes,
    onError: options.onError ?? ('rethrow' as ErrorPolicy),
    name: ruleName('name', options.name, 'journal-to-s3'),
  };
}
