import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { isPreconditionFailed } from '@wmflow/core';
import { requireSmallPutStored } from './small-put-stored.js';

/** A conditional PutObject built and signed ahead, sent only when released. */
export interface HeldPut {
  /** Resolves once the request is built, checksummed and signed, and waits at the gate. */
  readonly ready: Promise<void>;
  /** Sends it: `written`, or `exists` when S3 answers 412 (the key was taken). */
  release(): Promise<'written' | 'exists'>;
  /** Drops it unsent: no byte of it reaches S3. */
  cancel(): void;
}

class Cancelled extends Error {
  override name = 'HeldPutCancelled';
}

/**
 * Starts a small `If-None-Match: *` PutObject through the client's whole middleware stack (serialise,
 * checksum, sign) and holds it just before the HTTP handler until {@link HeldPut.release}. The journal
 * prepares its metadata object this way while S3 is still storing the copy: the preparation overlaps
 * S3's work, and the metadata still reaches S3 only after the copy is acknowledged.
 */
export function holdPut(
  s3: S3Client,
  params: PutObjectCommandInput & { Bucket: string; Key: string },
  signal: AbortSignal,
): HeldPut {
  let open = () => {};
  let shut = (_: Error) => {};
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    shut = reject;
  });
  gate.catch(() => {});
  let reached = () => {};
  const ready = new Promise<void>((resolve) => {
    reached = resolve;
  });
  // An abort while held ends it unsent, as it would end a request in flight.
  const onAbort = () => shut(signal.reason instanceof Error ? signal.reason : new Cancelled('aborted'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const command = new PutObjectCommand({ ...params, IfNoneMatch: '*' });
  // The innermost step before the HTTP handler: everything the SDK does to a request has been done.
  command.middlewareStack.add(
    (next) => async (args) => {
      reached();
      await gate;
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'wmflowHeldUntilReleased' },
  );
  const sent = s3.send(command, { abortSignal: signal }).then(
    async (answer) => {
      await requireSmallPutStored(s3, params, answer, signal);
      return 'written' as const;
    },
    (error: unknown) => {
      if (isPreconditionFailed(error)) return 'exists' as const;
      throw error;
    },
  );
  // Cancelled or failed before anyone asked: the outcome is read only through release().
  sent.catch(() => reached()).finally(() => signal.removeEventListener('abort', onAbort));
  return {
    ready,
    release: () => {
      open();
      return sent;
    },
    cancel: () => shut(new Cancelled('held PutObject cancelled before it was sent')),
  };
}
