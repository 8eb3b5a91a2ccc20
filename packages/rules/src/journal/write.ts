import { Readable } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { RuleContext } from '@wmflow/core';
import { type HeldPut, holdPut } from './held-put.js';
import { requireSmallPutStored } from './small-put-stored.js';
import { JournalError, putOnce, storedDigest, storedMetadata } from './store.js';
import { type HashedUpload, type UploadSettings, uploadHashed } from './upload.js';

/** What {@link journalOnce} needs besides the rule context. */
export interface JournalTarget {
  s3: S3Client;
  bucket: string;
  key: string;
  /** Encryption, content type, Object Lock: applied to the copy. */
  put: Partial<PutObjectCommandInput>;
  partSize: number;
  parallel: number;
  /** Largest announced size journaled as one streamed PutObject; larger or unannounced go in parts. */
  streamMaxBytes: number;
  /** Builds the `<key>.json` body from what was written; undefined when metadata is off. */
  metadata?: (written: { key: string; sha256: string; size: number; repairs?: Repaired }) => string;
}

/** A stored copy found not to match the message, and where the verified copy went instead. */
export interface Repaired {
  key: string;
  storedSha256: string;
  storedSize: number;
}

/**
 * One pass: the message streams into S3 while it is hashed, first writer wins (`If-None-Match: *`).
 * When the key is taken (a retry, a concurrent invocation), the stored object is read back and checked
 * against what was just hashed: the same bytes count as done; other bytes are never trusted nor
 * overwritten — the verified copy goes to `<key>.repaired-<sha256 prefix>` and the mismatch is noted.
 * The metadata object is written last, from the bytes uploaded, and checked the same way.
 */
export async function journalOnce(ctx: RuleContext, t: JournalTarget): Promise<void> {
  const signal = ctx.signal;
  const length = await ctx.message.announcedSize?.();
  const settings = {
    partSize: t.partSize,
    parallel: t.parallel,
    signal,
    length,
    streamMaxBytes: t.streamMaxBytes,
  };
  // Read without a Content-Length, a message ended early but well-formed looks whole: its end is checked by one
  // more fetch before the copy's last byte goes, so a cut copy is never stored (fault round 89).
  const confirm = (await ctx.message.lengthAnnounced?.()) === false ? ctx.message.confirmEnd : undefined;
  const read = confirm
    ? () =>
        Readable.from(
          confirmedAtEnd(ctx.message.stream(), () => confirm.call(ctx.message)),
          { objectMode: false },
        )
    : () => ctx.message.stream();
  const upload = (key: string, onRead?: UploadSettings['onRead']): Promise<HashedUpload> =>
    uploadHashed(t.s3, { ...t.put, Bucket: t.bucket, Key: key }, read, {
      ...settings,
      onRead,
    });
  // The metadata object is built and signed while S3 stores the copy, and sent once S3 has it.
  let early: { held: HeldPut; sha256: string; size: number } | undefined;
  const prepare = (read: { sha256: string; size: number }) => {
    if (early || !t.metadata) return;
    early = { held: holdPut(t.s3, metadataParams(t, t.key, read), signal), ...read };
  };
  try {
    await journalAndDescribe(ctx, t, upload(t.key, prepare), upload, () => early);
  } finally {
    // Unsent on every path that did not release it (a release has already opened the gate).
    early?.held.cancel();
  }
}

/**
 * The bytes of `stream`, its last chunk held until `confirm()` holds: its failure fails the stream instead of ending
 * it. Held back, since an upload told the length (the message read whole before, by another rule) has sent the whole
 * request with the last byte, and S3 stores it before the end is confirmed (fault round 99: a cut copy at the key).
 */
async function* confirmedAtEnd(stream: Readable, confirm: () => Promise<void>): AsyncGenerator<Buffer> {
  let last: Buffer | undefined;
  for await (const chunk of stream) {
    if (last) yield last;
    last = chunk as Buffer;
  }
  await confirm();
  if (last) yield last;
}

async function journalAndDescribe(
  ctx: RuleContext,
  t: JournalTarget,
  first: Promise<HashedUpload>,
  upload: (key: string) => Promise<HashedUpload>,
  prepared: () => { held: HeldPut; sha256: string; size: number } | undefined,
): Promise<void> {
  const signal = ctx.signal;
  const sent = await first;
  let key = t.key;
  let repairs: Repaired | undefined;
  if (sent.outcome === 'exists') {
    const stored = await storedDigest(t.s3, t.bucket, t.key, signal);
    if (stored.sha256 === sent.sha256 && stored.size === sent.size) {
      ctx.note(`already journaled at ${t.key} (retry; stored copy verified, sha256 ${sent.sha256})`);
    } else {
      repairs = { key: t.key, storedSha256: stored.sha256, storedSize: stored.size };
      key = `${t.key}.repaired-${sent.sha256.slice(0, 16)}`;
      const again = await upload(key);
      if (again.sha256 !== sent.sha256 || again.size !== sent.size) {
        throw new Error(`message bytes differ between two reads (${sent.sha256} then ${again.sha256})`);
      }
      if (again.outcome === 'exists') {
        const copy = await storedDigest(t.s3, t.bucket, key, signal);
        if (copy.sha256 !== sent.sha256 || copy.size !== sent.size) {
          // Both keys hold other bytes: nothing is overwritten, and the invocation fails as a conflict.
          throw new JournalError(
            'conflict',
            key,
            `journal keys ${t.key} and ${key} both hold other content (sha256 ${repairs.storedSha256}, then ${copy.sha256}); message sha256 ${sent.sha256} not journaled`,
          );
        }
      }
      const detail = `${repairs.storedSize} bytes, sha256 ${repairs.storedSha256}`;
      ctx.note(
        `journal key ${t.key} held other content (${detail}): not trusted, not overwritten; verified copy at ${key}`,
      );
      ctx.logger.warn('journal copy mismatch repaired', { ...repairs, repairedAt: key });
    }
  } else {
    ctx.note(`journaled s3://${t.bucket}/${key} (${sent.size} bytes, sha256 ${sent.sha256})`);
  }
  if (!t.metadata) return;
  // What was prepared is sent only when it describes these very bytes at this very key.
  const early = prepared();
  const same = early && key === t.key && early.sha256 === sent.sha256 && early.size === sent.size;
  const written = { sha256: sent.sha256, size: sent.size, repairs };
  await writeMetadata(ctx, t, key, written, same ? early?.held.release() : undefined);
}

function metadataParams(
  t: JournalTarget,
  key: string,
  written: { sha256: string; size: number; repairs?: Repaired },
) {
  const describe = t.metadata as NonNullable<JournalTarget['metadata']>;
  return {
    Bucket: t.bucket,
    Key: `${key}.json`,
    Body: describe({ key, ...written }),
    ContentType: 'application/json',
    ServerSideEncryption: t.put.ServerSideEncryption,
    SSEKMSKeyId: t.put.SSEKMSKeyId,
  };
}

async function writeMetadata(
  ctx: RuleContext,
  t: JournalTarget,
  key: string,
  written: { sha256: string; size: number; repairs?: Repaired },
  prepared?: Promise<'written' | 'exists'>,
): Promise<void> {
  const params = metadataParams(t, key, written);
  if ((await (prepared ?? putOnce(t.s3, params, ctx.signal))) === 'written') return;
  // First writer wins, but a metadata object that describes other bytes is repaired, not trusted.
  const found = await storedMetadata(t.s3, t.bucket, `${key}.json`, ctx.signal);
  if (found.sha256 === written.sha256 && found.size === written.size) return;
  const answer = await t.s3.send(new PutObjectCommand(params), { abortSignal: ctx.signal });
  await requireSmallPutStored(t.s3, params, answer, ctx.signal);
  ctx.note(`metadata ${key}.json described other bytes (sha256 ${String(found.sha256)}): rewritten`);
}
