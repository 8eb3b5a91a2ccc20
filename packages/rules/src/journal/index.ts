import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import {
  ConfigError,
  type ErrorPolicy,
  isBucketName,
  type Rule,
  type RuleContext,
  sharedS3Client,
  verdictKey,
} from '@wmflow/core';
import { ruleName } from '../internal/config.js';
import { DEFAULT_KEY_TEMPLATE, keyTemplate, messageDate } from './key.js';
import { digest, existing, JournalError, putOnce, uploadOnce } from './store.js';

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
  /** Multipart part size in bytes (≥ 5 MiB). Default 5 MiB: one part in flight keeps memory low. */
  partSize?: number;
  /** Error policy. Default `'rethrow'`: WorkMail retries, so no message goes unjournaled silently. */
  onError?: ErrorPolicy;
  name?: string;
}

/**
 * Journals every message to S3, byte for byte (streamed; multipart when large), with a JSON metadata
 * object beside it. A side-effect rule: it runs whatever the verdicts, in synchronous and asynchronous
 * flows. Idempotent across WorkMail retries: the key depends only on the message (id, direction, the
 * Received date), an existing copy with the same SHA-256 counts as done, and a key holding different
 * content is never overwritten (a {@link JournalError} `conflict`). S3 failures are `JournalError`s
 * `s3`; by default the rule rethrows, so the invocation fails and WorkMail retries it — a compliance
 * journal must not lose a message silently, whatever the flow's own policy. Conditional puts (`If-None-Match: *`) guard the
 * single-part case where S3 honours them; a HEAD and SHA-256 comparison guards every case.
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
  const o = checkOptions(options);
  return {
    name: o.name,
    sideEffect: true,
    onError: o.onError,
    async run(ctx) {
      const headers = await ctx.message.headers();
      const key = o.key({
        messageId: ctx.messageId,
        invocationId: ctx.invocationId,
        direction: ctx.direction,
        date: messageDate(headers),
      });
      if (ctx.audit) return ctx.note(`would journal to s3://${o.bucket}/${key}`);
      const s3 = o.s3 ?? sharedS3Client();
      const { sha256, size } = await digest(ctx.message.stream());
      // Written first-writer-wins, so a retry after a copy whose metadata failed still completes the pair.
      const writeMetadata = () =>
        o.metadata
          ? putOnce(s3, {
              ...o.put,
              Bucket: o.bucket,
              Key: `${key}.json`,
              ...metadataBody(ctx, key, sha256, size),
            })
          : Promise.resolve();
      try {
        const found = await existing(s3, o.bucket, key);
        if (found) {
          settleExisting(ctx, key, found.sha256, sha256);
          return await writeMetadata();
        }
        const body = { ...o.put, Bucket: o.bucket, Key: key, Body: ctx.message.stream() };
        const written = await uploadOnce(s3, { ...body, Metadata: { sha256 } }, o.partSize);
        if (written === 'exists') {
          settleExisting(ctx, key, (await existing(s3, o.bucket, key))?.sha256, sha256);
          return await writeMetadata();
        }
        await writeMetadata();
        ctx.note(`journaled s3://${o.bucket}/${key} (${size} bytes, sha256 ${sha256})`);
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

function settleExisting(ctx: RuleContext, key: string, found: string | undefined, sha256: string): void {
  if (found !== sha256) {
    throw new JournalError(
      'conflict',
      key,
      `journal key ${key} already holds different content (sha256 ${found ?? 'unknown'}); not overwritten`,
    );
  }
  ctx.note(`already journaled at ${key} (retry)`);
}

function metadataBody(
  ctx: RuleContext,
  key: string,
  sha256: string,
  size: number,
): Pick<PutObjectCommandInput, 'Body' | 'ContentType'> {
  const verdicts: Record<string, string> = {};
  for (const r of ctx.recipients) {
    const v = ctx.verdictOf(r);
    verdicts[r] = v ? verdictKey(v) : 'OPEN';
  }
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
  };
  return { Body: JSON.stringify(record, null, 2), ContentType: 'application/json' };
}

function checkOptions(options: JournalToS3Options) {
  if (!isBucketName(options.bucket)) {
    throw new ConfigError('bucket', 'must be an S3 bucket name');
  }
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
    onError: options.onError ?? ('rethrow' as ErrorPolicy),
    name: ruleName('name', options.name, 'journal-to-s3'),
  };
}
