import type { Writable } from 'node:stream';

/**
 * Makes `end()`, and `destroy()` without an error, of the given streams do nothing (an `end` callback still runs)
 * until the returned function gives them back: a handler replayed in the `wmflow` process that closes
 * `process.stdout` (a logger shutting its stream) must not cut the run's own output, as it cannot close a Lambda's
 * log (fault round 93).
 *
 * @example
 * ```ts
 * const restore = keepOpen(process.stdout, process.stderr);
 * process.stdout.end(); // still open
 * restore();
 * ```
 */
export function keepOpen(...streams: Writable[]): () => void {
  const saved = streams.map((stream) => {
    const { end, destroy } = stream;
    stream.end = ((...args: unknown[]) => {
      const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      if (callback) queueMicrotask(callback);
      return stream;
    }) as Writable['end'];
    // Node destroys the stream with its error when a write fails (EPIPE: the reader went away): that still ends it.
    stream.destroy = ((error?: Error) =>
      error === undefined ? stream : destroy.call(stream, error)) as Writable['destroy'];
    return () => {
      stream.end = end;
      stream.destroy = destroy;
    };
  });
  return () => {
    for (const restore of saved) restore();
  };
}
