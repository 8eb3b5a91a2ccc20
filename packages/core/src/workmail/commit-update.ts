import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PutRawMessageContentCommand } from '@aws-sdk/client-workmailmessageflow';
import { Upload } from '@aws-sdk/lib-storage';
import type { ApplyEditsOptions } from '../edit/apply-edits.js';
import type { Edit } from '../edit/edits.js';
import type { EditOutcome } from '../flow/edit-outcome.js';
import type { MessageAccess } from '../message/message.js';
import type { FlowClients } from './clients.js';

/**
 * Where and how edited messages are committed.
 *
 * @example
 * ```ts
 * const updates: UpdateOptions = { bucket: 'acme-workmail-updates', keyPrefix: 'updates' };
 * ```
 */
export interface UpdateOptions extends ApplyEditsOptions {
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
}): Promise<EditOutcome> {
  const { options } = args;
  if (args.signal.aborted)
    return { status: 'skipped', reason: 'deadline reached before the update was committed' };
  // The editor and the checker (mailsplit, libmime) load only when a rule has queued edits.
  const [{ applyEdits }, { checkUpdate }] = await Promise.all([
    import('../edit/apply-edits.js'),
    import('../mime/update-check.js'),
  ]);
  const applied = await applyEdits(args.message.stream(), args.edits, options);
  try {
    const { changes, skipped } = applied;
    if (changes.length === 0)
      return { status: 'skipped', reason: 'no edit changed the message', changes, skipped };
    const check = await checkUpdate(args.message.stream(), createReadStream(applied.path));
    if (!check.ok) {
      const reason = `WorkMail would reject the update: ${check.problems.map((p) => p.reason).join('; ')}`;
      return { status: 'skipped', reason, changes, skipped };
    }
    const key = `${options.keyPrefix ?? 'wmflow-updates'}/${args.messageId}/${args.invocationId.replace(/[^a-zA-Z0-9-]/g, '')}`;
    const abortController = new AbortController();
    args.signal.addEventListener('abort', () => abortController.abort(), { once: true });
    await new Upload({
      client: args.clients.s3,
      params: {
        Bucket: options.bucket,
        Key: key,
        Body: createReadStream(applied.path),
        ContentType: 'message/rfc822',
      },
      abortController,
    }).done();
    await args.clients.messageFlow.send(
      new PutRawMessageContentCommand({
        messageId: args.messageId,
        content: { s3Reference: { bucket: options.bucket, key } },
      }),
      { abortSignal: args.signal },
    );
    return { status: 'committed', key, size: applied.size, changes, skipped };
  } catch (error) {
    return mapCommitError(error, options.bucket, applied);
  } finally {
    await rm(applied.path, { force: true });
  }
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
