import { createHash, type Hash } from 'node:crypto';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { digestOf, isPreconditionFailed } from '@wmflow/core';
import { MessageHeaders } from '@wmflow/core/mime';
import { checkedListing } from '../checked-listing.js';
import { LocalStackError } from '../errors.js';
import { headerBlock } from '../replay/envelope.js';
import { multipartEtag } from '../s3/multipart-etag.js';

/** Bytes read from the start of each message to describe it: its header block, as a mail client lists it. */
const HEAD_BYTES = 65_536;

/** Where a message or a prefix is: `s3://bucket/key`. */
export interface S3Place {
  bucket: string;
  key: string;
}

/**
 * One quarantined message as `wmflow quarantine list` shows it: where it is, and what its headers say.
 *
 * @example
 * ```ts
 * const m: QuarantinedMessage = { key: 'quarantine/abc', size: 2048, lastModified: '2026-12-06T09:00:00.000Z', etag: '"9b2cf535f27731c974343645a3985328"', from: 'ann@partner.example', to: ['bob@corp.example'], subject: 'Hi', date: '', messageId: '', spamVerdict: 'FAIL', virusVerdict: 'PASS', held: { cause: 'verdict', reason: 'enforce-ses-verdicts decided MOVE_TO_JUNK; the junk policy "quarantine" holds it (STOP_RULE)', heldAt: '2026-12-06T09:00:00.000Z' } };
 * ```
 */
export interface QuarantinedMessage {
  key: string;
  size: number;
  /** When the receipt rule's S3 action stored it (ISO 8601). */
  lastModified: string;
  /** The object's ETag as listed: `release --etag` releases this object, not one stored under the key since. */
  etag: string;
  from: string;
  to: string[];
  subject: string;
  date: string;
  messageId: string;
  /** What SES wrote into the stored message (`X-SES-Spam-Verdict`, `X-SES-Virus-Verdict`); '' when absent. */
  spamVerdict: string;
  virusVerdict: string;
  /** Why its headers could not be read (gone since the listing, access denied); the message is listed anyway. */
  error?: string;
  /**
   * Why guard-ses held it, as it recorded beside the stored message (`held/<messageId>.json`, fault round 70); null
   * when no record is there (held by an older guard or another flow: its log says why, under the message id).
   */
  held: HoldReason | null;
  /** Why the record of the hold could not be read or is not this message's (the message is listed anyway). */
  heldError?: string;
}

/**
 * Why a message was held, as the SES flow recorded it (`SesHoldRecord`): `verdict` (the junk policy), `rule-error`,
 * `invalid-event` (round 83's `onInvalidEvent`) or `retryable-error` (fault round 68's `onRetryableError`).
 *
 * @example
 * ```ts
 * const why: HoldReason = { cause: 'invalid-event', reason: 'the event could not be read, …', heldAt: '2026-12-06T09:00:00.000Z' };
 * ```
 */
export interface HoldReason {
  cause: string;
  reason: string;
  heldAt: string;
}

/**
 * Reads `s3://bucket/key`: the bucket and the key (or prefix) after it.
 *
 * @example
 * ```ts
 * s3Place('s3://acme-inbound/quarantine/'); // { bucket: 'acme-inbound', key: 'quarantine/' }
 * ```
 */
export function s3Place(spec: string): S3Place {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(spec);
  if (!match) throw new LocalStackError(`${spec}: give s3://bucket/prefix`);
  return { bucket: match[1] as string, key: match[2] ?? '' };
}

/**
 * The messages under a quarantine prefix, in key order, each described by its header block alone (a range
 * read of its first 64 KiB, never the whole message) and by why it was held: the record the SES flow wrote under
 * `reasons` (default `held/` in the same bucket) as `<messageId>.json`, the quarantined key's last segment.
 *
 * @example
 * ```ts
 * for await (const m of listQuarantine(new S3Client({}), s3Place('s3://acme-inbound/quarantine/'))) console.log(m.subject, m.held?.reason);
 * ```
 */
export async function* listQuarantine(
  s3: S3Client,
  where: S3Place,
  options: { reasons?: S3Place | false } = {},
): AsyncGenerator<QuarantinedMessage> {
  // `false`: no record is read (a role without access to them); every message then says none is recorded.
  const reasons = options.reasons ?? { bucket: where.bucket, key: 'held/' };
  // Each page checked whole: one that is no listing, truncated without a token, or replayed fails the listing,
  // never ends it early — a message not listed would expire unreviewed (fault round 53).
  for await (const object of checkedListing(s3, where.bucket, where.key)) {
    // A folder marker (an empty object whose key ends in `/`) is no message; anything else is listed.
    if (object.Key.endsWith('/') && (object.Size ?? 0) === 0) continue;
    const listed = {
      key: object.Key,
      size: object.Size ?? 0,
      lastModified: object.LastModified,
      etag: object.ETag,
    };
    const [described, held] = await Promise.all([
      describe(s3, where.bucket, listed).catch((error: Error) => ({
        ...unread(listed),
        error: `${error.name}: ${error.message}`,
      })),
      reasons === false ? { held: null } : holdReason(s3, reasons, listed.key),
    ]);
    yield { ...described, ...held };
  }
}

/** Largest record read: a reason is one bounded line. */
const MAX_RECORD_BYTES = 16_384;

/**
 * The record of why the message under `key` was held: `<reasons><name>.json`. None there (404) is `held: null`; one
 * that cannot be read, is no record, or names another message is `heldError`, never shown as this message's reason.
 */
async function holdReason(
  s3: S3Client,
  reasons: S3Place,
  key: string,
): Promise<{ held: HoldReason | null; heldError?: string }> {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const at = `s3://${reasons.bucket}/${reasons.key}${name}.json`;
  let text: string;
  try {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: reasons.bucket, Key: `${reasons.key}${name}.json` }),
    );
    const body = got.Body as { transformToByteArray(): Promise<Uint8Array>; destroy?: () => void };
    if (got.ContentLength === undefined || got.ContentLength > MAX_RECORD_BYTES) {
      body.destroy?.();
      return {
        held: null,
        heldError: `${at}: ${got.ContentLength === undefined ? 'no length' : 'too large'} for a record of the hold`,
      };
    }
    const bytes = await body.transformToByteArray();
    if (bytes.length !== got.ContentLength)
      return { held: null, heldError: `${at}: read ${bytes.length} bytes of ${got.ContentLength}` };
    text = Buffer.from(bytes).toString('utf-8');
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 && (error as Error).name === 'NoSuchKey') return { held: null };
    return {
      held: null,
      heldError: `${at} could not be read (${(error as Error).name}: ${(error as Error).message}; \`--reasons none\` lists without the reasons)`,
    };
  }
  try {
    const r = JSON.parse(text) as Record<string, unknown>;
    if (r.messageId !== name)
      return {
        held: null,
        heldError: `${at} names another message (${JSON.stringify(r.messageId ?? null)}), not ${name}`,
      };
    if (typeof r.cause !== 'string' || typeof r.reason !== 'string')
      return { held: null, heldError: `${at} is no record of a hold (no cause or reason)` };
    return {
      held: { cause: r.cause, reason: r.reason, heldAt: typeof r.heldAt === 'string' ? r.heldAt : '' },
    };
  } catch {
    return { held: null, heldError: `${at} is no record of a hold (not JSON)` };
  }
}

interface Listed {
  key: string;
  size: number;
  lastModified: Date | undefined;
  /** The listed object's ETag: its headers are read from that object, not one stored since under its key. */
  etag: string | undefined;
}

function unread({ key, size, lastModified, etag }: Listed): QuarantinedMessage {
  const lastModifiedText = lastModified?.toISOString() ?? '';
  return {
    key,
    size,
    lastModified: lastModifiedText,
    etag: etag ?? '',
    from: '',
    to: [],
    subject: '',
    date: '',
    messageId: '',
    spamVerdict: '',
    virusVerdict: '',
    held: null,
  };
}

async function describe(s3: S3Client, bucket: string, listed: Listed): Promise<QuarantinedMessage> {
  const { key } = listed;
  const got = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      Range: `bytes=0-${HEAD_BYTES - 1}`,
      ...(listed.etag ? { IfMatch: listed.etag } : {}),
    }),
  );
  const head = Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const block = headerBlock(head);
  const headers = new MessageHeaders(block);
  // Headers past the bytes read are not shown: say so, rather than list a cut block as the message's headers.
  const ended =
    block.length === 0 ||
    block.subarray(-2).toString() === '\n\n' ||
    block.subarray(-3).toString() === '\n\r\n';
  const cut =
    !ended && head.length < listed.size
      ? {
          error: `its header block is longer than the ${HEAD_BYTES / 1024} KiB read: headers past them are not shown`,
        }
      : {};
  const text = (read: () => string | undefined): string => {
    try {
      return read() ?? '';
    } catch {
      return ''; // a header that does not parse is shown empty, the message still listed
    }
  };
  return {
    ...unread(listed),
    from: text(() => headers.from[0]?.address),
    to: [...headers.to, ...headers.cc].map((a) => a.address),
    subject: text(() => headers.subject),
    date: text(() => headers.get('date')),
    messageId: text(() => headers.get('message-id')),
    spamVerdict: text(() => headers.get('x-ses-spam-verdict')),
    virusVerdict: text(() => headers.get('x-ses-virus-verdict')),
    ...cut,
  };
}

/** What {@link releaseMessage} did. */
export interface Release {
  from: string;
  to: string;
  outcome: 'released' | 'already released';
}

/**
 * Releases a quarantined message: copies it, byte for byte, to the delivery prefix under the same name, as the
 * receipt rule's delivery action would have stored it. With `etag` (as `list` printed it) the copy is of that object
 * only, the one the operator reviewed; without it, of the object as it is now (its ETag, read first). Either way the
 * copy is conditional on that ETag (CopySourceIfMatch) and never overwrites: the same bytes already there are
 * `already released`; other bytes under that name, or another object under the quarantined key, fail the release.
 * The quarantined copy stays (the bucket's lifecycle expires it).
 *
 * @example
 * ```ts
 * await releaseMessage(s3, s3Place('s3://acme-inbound/quarantine/abc'), s3Place('s3://acme-inbound/delivered/'), { etag: '"9b2c…"' });
 * ```
 */
export async function releaseMessage(
  s3: S3Client,
  message: S3Place,
  to: S3Place,
  options: { etag?: string } = {},
): Promise<Release> {
  const name = message.key.slice(message.key.lastIndexOf('/') + 1);
  if (name === '')
    throw new LocalStackError(`s3://${message.bucket}/${message.key}: name a message, not a prefix`);
  const target = {
    bucket: to.bucket,
    key: `${to.key}${to.key === '' || to.key.endsWith('/') ? '' : '/'}${name}`,
  };
  const from = `s3://${message.bucket}/${message.key}`;
  const shown = `s3://${target.bucket}/${target.key}`;
  // Released onto itself, the copy's If-None-Match would find the message there and say `already released`.
  if (target.bucket === message.bucket && target.key === message.key)
    throw new LocalStackError(`${from}: --to names the quarantine itself, not a delivery prefix`);
  const reviewed = options.etag === undefined ? undefined : quotedEtag(options.etag);
  const etagNow = () =>
    s3.send(new HeadObjectCommand({ Bucket: message.bucket, Key: message.key })).then((h) => h.ETag);
  // Nothing under the delivered name is a 404 alone: any other failure (a 503, a timeout) is not "nothing there",
  // which would turn a refused copy into "changed since it was reviewed" (fault round 59).
  const delivered = () =>
    s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key })).then(
      (h) => h.ETag ?? '',
      (error: unknown) => {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
          return undefined;
        throw new LocalStackError(
          `${shown} could not be read (${(error as Error).name}: ${(error as Error).message}): the message is not known to be released (release it again)`,
          { cause: error },
        );
      },
    );
  // The object there is this message: the same ETag, or, as S3 gives a copy another ETag than its source's when
  // that is not its bytes' MD5 (a message stored in parts, or under SSE-KMS), the same bytes (fault round 59).
  const sameMessage = async (there: string): Promise<boolean> => {
    if (there === ETag) return true;
    const [source, copy] = await Promise.all([
      storedDigest(s3, message.bucket, message.key, ETag),
      // What is there now, whatever its ETag: only its bytes are compared.
      storedDigest(s3, target.bucket, target.key),
    ]);
    return source === copy;
  };
  const now = await etagNow();
  if (!now) throw new LocalStackError(`${from}: S3 gave no ETag, so the copy could not be tied to it`);
  const ETag = reviewed ?? now;
  const released = { from, to: shown, outcome: 'already released' as const };
  // Another object under the key than the one reviewed: released before (the same bytes there), or not at all.
  if (now !== ETag) {
    const there = await delivered();
    if (there === ETag) return released;
    // The reviewed message stored in parts: its copy's ETag is its bytes' MD5, and the reviewed bytes are gone.
    // The copy read in the parts such an upload makes gives the reviewed ETag back when it is that message
    // (fault round 66).
    if (there !== undefined && (await madeOfParts(s3, target.bucket, target.key, there, ETag)))
      return released;
    throw changedSince(
      now,
      ETag,
      there === undefined
        ? ''
        : `; ${shown} holds a message (ETag ${there}) that could not be tied to the one reviewed: not released now`,
    );
  }
  try {
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: `${message.bucket}/${encodeURIComponent(message.key).replaceAll('%2F', '/')}`,
        CopySourceIfMatch: ETag,
        IfNoneMatch: '*',
      }),
    );
    // S3 gives every copy it made an ETag; a 200 without one (an `<Error>` document the SDK took for a result, a
    // proxy's page) made nothing anyone can count on: not `released` (fault round 53).
    if (!copied.CopyObjectResult?.ETag)
      throw new LocalStackError(
        `CopyObject to ${shown} answered 200 without the copy's ETag: the message is not known to be released (release it again: a copy made says \`already released\`)`,
      );
    return { from, to: shown, outcome: 'released' };
  } catch (error) {
    if (isPreconditionFailed(error)) {
      // Either the destination exists (released before) or the source changed since it was read: tell which.
      const there = await delivered();
      // The same bytes: released before (or by this very copy, its answer lost and the SDK's retry refused).
      // Other bytes under that name: not this one.
      if (there !== undefined) {
        if (await sameMessage(there)) return released;
        throw new LocalStackError(
          `${shown} already holds another message (ETag ${there}, this one ${ETag}): not overwritten, not released`,
        );
      }
      const etag = await etagNow().catch(() => 'unknown');
      if (etag !== ETag)
        throw reviewed !== undefined
          ? changedSince(etag, reviewed)
          : new LocalStackError(
              `it changed while it was being released (ETag now ${etag}, was ${ETag}): not released`,
              { cause: error },
            );
      throw new LocalStackError(
        `CopyObject to ${shown} was refused (412), though nothing is there and ${from} is unchanged: not released (release it again)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The size and SHA-256 of the object's bytes, read (with `etag`, as that object: IfMatch) and checked whole against its
 * Content-Length: a read cut short, or of another object stored since, is no answer about the message.
 */
function storedDigest(s3: S3Client, bucket: string, key: string, etag?: string): Promise<string> {
  return readToCompare(s3, bucket, key, etag, async (body, length) => {
    const { sha256, size } = await digestOf(body);
    if (size !== length) throw new Error(`read ${size} bytes of ${length}`);
    return `${size}:${sha256}`;
  });
}

/**
 * Reads the object (with `etag`, as that object: IfMatch) for a comparison: `read` gets its body and announced
 * length, and checks it read them whole. Any failure, an unannounced length included, says the message is not known
 * to be released.
 */
async function readToCompare<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  etag: string | undefined,
  read: (body: AsyncIterable<Uint8Array> & { destroy?: () => void }, length: number) => Promise<T>,
): Promise<T> {
  try {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(etag ? { IfMatch: etag } : {}) }),
    );
    const body = got.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
    if (got.ContentLength === undefined) {
      body.destroy?.();
      throw new Error('read an unannounced length');
    }
    return await read(body, got.ContentLength);
  } catch (error) {
    throw new LocalStackError(
      `s3://${bucket}/${key} could not be read to compare it (${(error as Error).name}: ${(error as Error).message}): the message is not known to be released (release it again)`,
      { cause: error },
    );
  }
}

function changedSince(now: string | undefined, reviewed: string, more = ''): LocalStackError {
  return new LocalStackError(
    `it changed since it was reviewed (ETag now ${now ?? 'none'}, reviewed ${reviewed})${more}`,
  );
}

/** Part sizes tried: whole MiB, as upload tools choose them (at least S3's 5 MiB for every part but the last). */
const MiB = 1024 * 1024;
const MAX_PART_SIZES = 64;

/**
 * Whether the object (read as the one with ETag `etag`, whole against its Content-Length) is, cut into the parts a
 * multipart upload of as many parts as `reviewedEtag` names makes, the object with that ETag (`<MD5 of the parts'
 * MD5s>-N`). Part sizes are not kept by a copy: each whole-MiB size that gives N parts is tried, in one read.
 * False when `reviewedEtag` is not such an ETag, or no size gives it.
 */
async function madeOfParts(
  s3: S3Client,
  bucket: string,
  key: string,
  etag: string,
  reviewedEtag: string,
): Promise<boolean> {
  const parts = Number(/^"[0-9a-f]{32}-(\d{1,5})"$/.exec(reviewedEtag)?.[1] ?? 0);
  if (parts < 1) return false;
  return readToCompare(s3, bucket, key, etag, async (body, size) => {
    const sizes: number[] = [];
    if (parts === 1) sizes.push(Math.max(size, 1));
    else
      for (let m = Math.max(5, Math.floor(size / parts / MiB)); sizes.length < MAX_PART_SIZES; m++) {
        const n = Math.ceil(size / (m * MiB));
        if (n < parts) break;
        if (n === parts) sizes.push(m * MiB);
      }
    if (sizes.length === 0) {
      body.destroy?.();
      return false;
    }
    const cuts = sizes.map((partSize) => ({
      partSize,
      filled: 0,
      part: createHash('md5'),
      md5s: [] as Buffer[],
    }));
    let read = 0;
    for await (const chunk of body) {
      read += chunk.length;
      for (const cut of cuts) {
        for (let at = 0; at < chunk.length; ) {
          const take = Math.min(cut.partSize - cut.filled, chunk.length - at);
          cut.part.update(chunk.subarray(at, at + take));
          cut.filled += take;
          at += take;
          if (cut.filled === cut.partSize) {
            cut.md5s.push(cut.part.digest());
            cut.part = createHash('md5') as Hash;
            cut.filled = 0;
          }
        }
      }
    }
    if (read !== size) throw new Error(`read ${read} bytes of ${size}`);
    return cuts.some((cut) => {
      const md5s = cut.filled > 0 ? [...cut.md5s, cut.part.digest()] : cut.md5s;
      return `"${multipartEtag(md5s)}"` === reviewedEtag;
    });
  });
}

/**
 * An ETag as S3 sends it (in double quotes), from what `list` printed or what a shell left of it (the quotes gone).
 *
 * @example
 * ```ts
 * quotedEtag('9b2cf535f27731c974343645a3985328'); // '"9b2cf535f27731c974343645a3985328"'
 * ```
 */
export function quotedEtag(text: string): string {
  const bare = text.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[^"\s]{1,200}$/.test(bare))
    throw new LocalStackError(
      `--etag ${JSON.stringify(text)}: give the ETag as \`quarantine list\` prints it`,
    );
  return `"${bare}"`;
}
