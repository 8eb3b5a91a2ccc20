import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  PutRawMessageContentCommand,
  type PutRawMessageContentCommandOutput,
} from '@aws-sdk/client-workmailmessageflow';
import { digestOf } from '../digest.js';
import type { ApplyEditsOptions, EditedStream } from '../edit/apply-edits.js';
import type { Edit } from '../edit/edits.js';
import { ENDS_IN_HEADER } from '../edit/raw-repair.js';
import { STRIP_FALLBACK_MESSAGE } from '../flow/edit-fallback.js';
import type { EditOutcome } from '../flow/edit-outcome.js';
import { lazyModule } from '../lazy-module.js';
import type { MessageAccess } from '../message/message.js';
import { uploadInParts } from '../s3/parted-upload.js';
import { notS3sAnswer } from '../s3/stored-answer.js';
import { deniedByPolicy, isTransient, TransientError } from '../transient.js';
import { type Verdict, Verdicts } from '../verdicts.js';
import type { FlowClients } from './clients.js';
import { notWorkMailsAnswer } from './foreign-answer.js';
import { workmailSource } from './message-source.js';
import { unvouchedSuccess } from './unvouched-success.js';

/**
 * Where and how edited messages are committed.
 *
 * @example
 * ```ts
 * const updates: UpdateOptions = { bucket: 'acme-workmail-updates', keyPrefix: 'updates' };
 * ```
 */
export interface UpdateOptions extends Omit<ApplyEditsOptions, 'lengthUnknown'> {
  /** Bucket for edited messages: same account and region, readable by WorkMail (see the template's policy). */
  bucket: string;
  /** Key prefix; letters, digits, `-` and `/` only (the API refuses dots and underscores). Default `wmflow-updates`. */
  keyPrefix?: string;
}

export type { EditOutcome };

/**
 * Applies the edits in one streaming pass, checks the result against WorkMail's
 * update rules, uploads it and calls PutRawMessageContent. Never throws for a
 * refused update: the message still flows, and the outcome says why it was not changed.
 */
export async function commitUpdate(args: {
  message: MessageAccess;
  edits: readonly Edit[];
  messageId: string;
  invocationId: string;
  clients: FlowClients;
  options: UpdateOptions;
  signal: AbortSignal;
  /**
   * Called just before PutRawMessageContent is sent: from then on a deadline may leave the update applied. Until
   * then (the banner's first pass, the edit, the upload) nothing has changed the message.
   */
  onPut?: () => void;
}): Promise<EditOutcome> {
  const { options } = args;
  if (args.signal.aborted) return { status: 'skipped', reason: BEFORE_COMMIT };
  // The editor and the checker (mailsplit, libmime) load only when a rule has queued edits. Disk: the
  // editor's read is the invocation's last, so the rewrite writes no temporary file; it reads one only when
  // an earlier rule read the body of a message over the spool's memory part (2 MiB), which spilled it.
  const [{ editStream, withExpectedParts, ...banners }, { checkUpdate }] = await Promise.all([
    loadEditor(),
    loadChecker(),
  ]);
  // A part removal carries what the walk listed at its ids (memoized: the rule that asked read it), so the
  // editor removes those very parts or none.
  const edits = args.edits.some((e) => e.kind === 'remove-parts')
    ? withExpectedParts(args.edits, await args.message.parts())
    : args.edits;
  // A key of this attempt's own: WorkMail's retry of an event keeps its invocationId, and an attempt that gives
  // up deletes what it staged, which must never be the update another attempt of the same event is committing.
  const attempt = randomBytes(6).toString('hex');
  const key = `${options.keyPrefix ?? 'wmflow-updates'}/${args.messageId}/${args.invocationId.replace(/[^a-zA-Z0-9-]/g, '')}-${attempt}`;
  // Read without a Content-Length, a message may have ended early and well-formed: nothing is closed for it.
  const lengthUnknown = (await args.message.lengthAnnounced?.()) === false;
  // Asking opens the message: the deadline may have fired meanwhile.
  if (args.signal.aborted) return { status: 'skipped', reason: BEFORE_COMMIT };
  const bodyless = await bannerNeedsWrap(args, edits, { ...options, lengthUnknown }, banners);
  if (args.signal.aborted) return { status: 'skipped', reason: BEFORE_COMMIT };
  const piped = pipeUpdate(
    args,
    editStream(args.message.lastStream?.() ?? args.message.stream(), edits, {
      ...options,
      lengthUnknown,
      bodyless,
    }),
    key,
    checkUpdate,
  );
  // An edit that cannot be made throws, as before: nothing is committed and the caller decides.
  const applied = await piped.edited.catch(async (error: unknown) => {
    await piped.discard();
    throw error;
  });
  const { changes, skipped } = applied;
  try {
    const check = await piped.check;
    if (changes.length === 0) {
      await piped.discard();
      return { status: 'skipped', reason: NO_CHANGE, changes, skipped };
    }
    if (!check.ok) {
      await piped.discard();
      const reason = `WorkMail would reject the update: ${check.problems.map((p) => p.reason).join('; ')}`;
      return { status: 'skipped', reason, changes, skipped };
    }
    // Read without a Content-Length, a single-part body ended early but well-formed looks whole, and the rewrite
    // would commit it cut: the message is fetched once more to check where it ends (fault round 89).
    if (lengthUnknown) await args.message.confirmEnd?.();
    const { size } = await piped.uploaded;
    // The deadline may have fired while the update was uploaded: committing now would outlive the answer.
    if (args.signal.aborted) {
      await piped.discard();
      return { status: 'skipped', reason: BEFORE_COMMIT, changes, skipped };
    }
    let answer: PutRawMessageContentCommandOutput;
    try {
      args.onPut?.();
      answer = await args.clients.messageFlow.send(
        new PutRawMessageContentCommand({
          messageId: args.messageId,
          content: { s3Reference: { bucket: options.bucket, key } },
        }),
        { abortSignal: args.signal },
      );
    } catch (error) {
      // An error answer WorkMail never gives (no AWS error type: something in between, fault round 47) says nothing
      // about the update: the invocation fails and WorkMail retries it, as for a transient error.
      if (notWorkMailsAnswer(error) !== undefined && !args.signal.aborted)
        throw new TransientError(`PutRawMessageContent: ${(error as Error).message}`, { cause: error });
      if (!answerLost(error) || args.signal.aborted) throw error;
      return await resolveLostAnswer(args, { key, size, changes, skipped }, error);
    }
    // A 200 without WorkMail's request id is no answer of WorkMail's: the update may never have reached it, and taking
    // it for a commit delivered a strip's executable (fault round 91). The message is read back, as for a lost answer.
    if (unvouchedSuccess(answer)) {
      const lost = new TransientError(
        'PutRawMessageContent answered 200 without a request id: not WorkMail’s answer',
      );
      return await resolveLostAnswer(args, { key, size, changes, skipped }, lost);
    }
    return { status: 'committed', key, size, changes, skipped };
  } catch (error) {
    await piped.discard();
    // The role may not stage the update or commit it, or the service did not take the request's credentials or
    // signature (fault round 78): a deployment or clock fault, not the message's. Answering would let the protection
    // decide from it (a strip bounced, a disclaimer dropped unseen): the invocation fails loudly.
    const denied = deniedByPolicy(
      error,
      `update of ${args.messageId} (staged at s3://${options.bucket}/${key})`,
    );
    if (denied && !args.signal.aborted)
      throw new TransientError(`update not committed: ${denied}`, { cause: error });
    // Throttling, 5xx, resets: the invocation fails and WorkMail retries it (the message is unchanged).
    if (isTransient(error) && !args.signal.aborted) {
      throw new TransientError(`update not committed: ${(error as Error).message}`, { cause: error });
    }
    return mapCommitError(error, options.bucket, applied);
  }
}

/**
 * A banner for a multipart with no text body goes after a part of its own, which needs the whole structure before
 * the root's headers go out: a first read of the message (held by the spool, so not fetched twice) that stops at
 * the first body part, so only mail with no body text is read to its end. The deadline stops it; a read that
 * fails leaves the decision to the rewrite, which reads the same bytes and fails or reports the banner skipped.
 */
async function bannerNeedsWrap(
  args: { message: MessageAccess; signal: AbortSignal },
  edits: readonly Edit[],
  options: ApplyEditsOptions,
  { addsBanner, lacksBannerBody }: typeof import('../edit/banner-body.js'),
): Promise<boolean> {
  if (!addsBanner(edits)) return false;
  const source = args.message.stream();
  const stop = () => source.destroy(args.signal.reason instanceof Error ? args.signal.reason : undefined);
  args.signal.addEventListener('abort', stop, { once: true });
  try {
    return await lacksBannerBody(source, edits, options);
  } catch {
    return false;
  } finally {
    args.signal.removeEventListener('abort', stop);
  }
}

const BEFORE_COMMIT = 'deadline reached before the update was committed';
const NO_CHANGE = 'no edit changed the message';
const loadEditor = lazyModule(() => import('../edit/apply-edits.js'));
const loadChecker = lazyModule(() => import('../mime/update-check.js'));

/**
 * Starts loading the editor and the update checker for a flow that may commit edits, so that a cold container
 * compiles their chunks while it waits on the message's download rather than after the rules. A failed load is
 * forgotten and tried again by {@link commitUpdate}.
 */
export function prefetchEditor(): void {
  loadEditor().catch(() => undefined);
  loadChecker().catch(() => undefined);
}

/**
 * One pipeline, no temporary file: the edited bytes flow to the update checker and to S3 at once, with
 * backpressure (the slower reader sets the pace; two S3 parts in flight). The size of what was uploaded is
 * counted on the way; no digest: only a lost answer needs one, and it reads the stored object back. `discard` stops the upload and deletes what reached S3, for an
 * update that is not committed (no change, refused by the checker, failed).
 */
function pipeUpdate(
  args: { message: MessageAccess; clients: FlowClients; options: UpdateOptions; signal: AbortSignal },
  edited: EditedStream,
  key: string,
  checkUpdate: typeof import('../mime/update-check.js').checkUpdate,
) {
  const abortController = new AbortController();
  const onAbort = () => abortController.abort();
  // An abort listener added to a signal already aborted never runs.
  if (args.signal.aborted) onAbort();
  else args.signal.addEventListener('abort', onAbort, { once: true });
  const toS3 = new PassThrough();
  const toCheck = new PassThrough();
  // An edit that fails before a reader listens (a message of header fields alone fails at once) must not be an
  // uncaught 'error': each reader meets the failure in the stream itself (errored), and the edit's result says why.
  for (const branch of [toS3, toCheck]) branch.on('error', () => {});
  edited.stream.pipe(toS3);
  edited.stream.pipe(toCheck);
  edited.stream.once('error', (error) => {
    toS3.destroy(error);
    toCheck.destroy(error);
  });
  const bucket = args.options.bucket;
  const uploaded = uploadInParts(
    args.clients.s3,
    { Bucket: bucket, Key: key, ContentType: 'message/rfc822' },
    toS3,
    { partSize: 5 * 1024 * 1024, parallel: 2, signal: abortController.signal },
  );
  // A reader that stops early (a failed upload, a checker done before the end) must not stall the other.
  uploaded.catch(() => toS3.resume());
  const check = checkUpdate(args.message.stream(), toCheck).finally(() => toCheck.resume());
  check.catch(() => undefined);
  const finished = Promise.allSettled([uploaded, check]).finally(() =>
    args.signal.removeEventListener('abort', onAbort),
  );
  return {
    edited: edited.result,
    check,
    uploaded,
    async discard(): Promise<void> {
      // An upload in flight is let finish first (a second at most, never past the deadline), and the key is deleted
      // whatever the outcome: aborted, a PutObject S3 had stored before its answer came back was left staged (fault
      // round 90: a confirming fetch failed at once). The key is this attempt's own.
      await graceFor(finished, args.signal, DISCARD_GRACE_MS);
      abortController.abort();
      await finished;
      // The clean-up never holds the outcome: a DeleteObject never answered kept a strip's bounce from being answered
      // until the deadline failed the invocation (fault round 92). It gets the same grace (past the deadline too: the
      // answer does not wait for it), then is stopped; a staged copy left is the updates bucket's one-day lifecycle's.
      await args.clients.s3
        .send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: AbortSignal.timeout(DISCARD_GRACE_MS),
        })
        .catch(() => undefined);
    },
  };
}

const DISCARD_GRACE_MS = 1_000;

/** Waits for `promise` to settle, at most `ms` and never past `signal`'s abort. */
function graceFor(promise: Promise<unknown>, signal: AbortSignal, ms: number): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    promise.then(done, done);
  });
}

/** No HTTP answer came back (reset, timeout): the update may have been applied. */
function answerLost(error: unknown): boolean {
  return (
    isTransient(error) &&
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === undefined
  );
}

/**
 * Reads the message back and the update as stored in S3: the same bytes mean the update was applied;
 * other bytes mean it was not (a transient failure, retried); a read that fails leaves the outcome
 * `unknown`.
 */
async function resolveLostAnswer(
  args: { clients: FlowClients; messageId: string; signal: AbortSignal; options: UpdateOptions },
  sent: { key: string; size: number; changes: string[]; skipped: string[] },
  lost: unknown,
): Promise<EditOutcome> {
  const { key, changes, skipped } = sent;
  let current: { sha256: string; size: number };
  let stored: { sha256: string; size: number };
  try {
    const readBack = async () =>
      digestOf(
        (await workmailSource(
          args.clients.messageFlow,
          args.messageId,
          args.signal,
        )()) as AsyncIterable<Buffer>,
      );
    const readStored = async () => {
      const object = await args.clients.s3.send(
        new GetObjectCommand({ Bucket: args.options.bucket, Key: key }),
        {
          abortSignal: args.signal,
        },
      );
      return digestOf(object.Body as AsyncIterable<Uint8Array>);
    };
    // Both reads settle before the outcome: a read that failed first leaves no other running past the answer.
    const [back, kept] = await Promise.allSettled([readBack(), readStored()]);
    if (back.status === 'rejected') throw back.reason;
    if (kept.status === 'rejected') throw kept.reason;
    [current, stored] = [back.value, kept.value];
  } catch (error) {
    const reason = `the update's answer was lost (${(lost as Error).message}) and reading the message back failed (${(error as Error).message})`;
    // A transient failure of the read-back fails the invocation: a retry finds out, and is safe (fault round 39:
    // answered as unknown, a strip's guard bounced a message WorkMail held stripped). So does an error answer to the
    // staged update's read that is not S3's (a 304, a bodiless 404, a proxy's page: fault round 54), which says
    // nothing about the update. Only the deadline leaves it unknown.
    const foreign = notS3sAnswer(error) !== undefined;
    // A read the role may not make (fault round 76) tells nothing either: the invocation fails, the log says why.
    const denied = deniedByPolicy(
      error,
      `reading back s3://${args.options.bucket}/${key} or message ${args.messageId}`,
    );
    if (denied && !args.signal.aborted) throw new TransientError(`${reason}: ${denied}`, { cause: error });
    if ((isTransient(error) || foreign) && !args.signal.aborted)
      throw new TransientError(reason, { cause: error });
    return { status: 'unknown', reason, key, changes, skipped };
  }
  if (stored.size === sent.size && current.sha256 === stored.sha256 && current.size === stored.size) {
    return { status: 'committed', key, size: sent.size, changes, skipped };
  }
  throw new TransientError(`update not applied: its answer was lost (${(lost as Error).message})`, {
    cause: lost,
  });
}

/**
 * The verdict for recipients who would receive a message whose attachment removal was not committed:
 * a blocked attachment must never be delivered because its removal failed. Undefined when no removal
 * was queued or it was committed (or no recipient receives the message).
 *
 * @example
 * ```ts
 * uncommittedStripVerdict(state.edits, { status: 'failed', reason: 'InvalidContentLocation' }); // a BOUNCE
 * ```
 */
export function uncommittedStripVerdict(edits: readonly Edit[], outcome: EditOutcome): Verdict | undefined {
  if (!edits.some((e) => e.kind === 'remove-attachments')) return undefined;
  if (outcome.status === 'committed' || outcome.status === 'none') return undefined;
  if (outcome.status === 'skipped' && /^no recipient receives|^asynchronous rule/.test(outcome.reason))
    return undefined;
  // A removal that matched no part left nothing to remove (adoption walk: every message without an attachment was
  // bounced); one that matched a part it could not remove (inside signed content) says so among the skipped edits.
  if (
    outcome.status === 'skipped' &&
    outcome.reason === NO_CHANGE &&
    !(outcome.skipped ?? []).some((s) => s.startsWith('attachment '))
  )
    return undefined;
  // A message of header fields alone carries no attachment.
  if (outcome.status === 'failed' && outcome.reason.endsWith(ENDS_IN_HEADER)) return undefined;
  return Verdicts.bounce(STRIP_FALLBACK_MESSAGE);
}

function mapCommitError(
  error: unknown,
  bucket: string,
  applied: { changes: string[]; skipped: string[] },
): EditOutcome {
  const name = (error as { name?: string }).name ?? 'Error';
  const detail = error instanceof Error ? error.message : String(error);
  const { changes, skipped } = applied;
  switch (name) {
    case 'MessageFrozen':
      return {
        status: 'skipped',
        reason: `message is frozen (not eligible for update): ${detail}`,
        changes,
        skipped,
      };
    case 'MessageRejected':
      return { status: 'skipped', reason: `WorkMail rejected the update: ${detail}`, changes, skipped };
    case 'ResourceNotFoundException':
      return { status: 'skipped', reason: `message no longer in transit: ${detail}`, changes, skipped };
    case 'InvalidContentLocation':
      return {
        status: 'failed',
        reason:
          `WorkMail cannot read s3://${bucket}: give the bucket a policy that lets the principal ` +
          `workmail.<region>.amazonaws.com s3:GetObject over TLS for this account's messages, keep it in the ` +
          `same region and account (template.yaml's UpdatesBucketPolicy does this). ${detail}`,
      };
    default:
      return { status: 'failed', reason: `${name}: ${detail}` };
  }
}
