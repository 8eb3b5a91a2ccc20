import { MessageReadError } from '../message/read-error.js';
import { isTransient } from '../transient.js';

/**
 * Runs an S3 request whose body is a stream, which the SDK never retries: a transient failure (throttling,
 * 5xx, a reset, by {@link isTransient}) is tried again after a jittered back-off, up to `attempts` in all.
 * Not retried: a source's own {@link MessageReadError}, which is sticky, and anything once `signal` has
 * aborted (the deadline ends the work). The back-off ends early on abort; the next attempt then meets the
 * aborted signal.
 *
 * @example
 * ```ts
 * await retryTransient(() => s3.send(new UploadPartCommand(part), { abortSignal: signal }), { attempts: 3, signal });
 * ```
 */
export async function retryTransient<T>(
  request: () => Promise<T>,
  options: { attempts: number; signal: AbortSignal },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const retryable = !options.signal.aborted && !(error instanceof MessageReadError) && isTransient(error);
      if (attempt >= options.attempts || !retryable) throw error;
      await backOff(50 * 2 ** attempt * (0.5 + Math.random()), options.signal);
    }
  }
}

function backOff(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * True for S3's 412 PreconditionFailed: `If-None-Match: *` found the key taken.
 *
 * @example
 * ```ts
 * if (isPreconditionFailed(error)) return 'exists';
 * ```
 */
export function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}
