import { millisecondsOption } from './milliseconds.js';

/**
 * The default bound on one AWS request, in milliseconds: generous beside S3's normal answer (well under a second).
 *
 * @example
 * ```ts
 * new S3Client({ requestHandler: boundedRequests(DEFAULT_REQUEST_TIMEOUT_MS) });
 * ```
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** The Node request handler's options {@link boundedRequests} gives (a client's `requestHandler`). */
export interface BoundedRequests {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: boolean;
  socketTimeout: number;
}

/**
 * Bounded requests for an AWS SDK v3 client the CLI builds (fault round 71): the SDK's default Node handler sets no
 * timeout, so a service that accepts the connection and never answers, or stops midway through an answer's body,
 * holds the command for ever. Each request gets `ms` to connect, `ms` until the answer's headers, and at
 * most `ms` of silence after them (the body included); past any of them it fails with a `TimeoutError`, which
 * the SDK's retries treat as transient (so a stalled request is tried again, as a dropped connection is).
 *
 * @example
 * ```ts
 * const s3 = new S3Client({ requestHandler: boundedRequests(60_000) });
 * ```
 */
export function boundedRequests(ms: number = DEFAULT_REQUEST_TIMEOUT_MS): BoundedRequests {
  return {
    connectionTimeout: ms,
    requestTimeout: ms,
    throwOnRequestTimeout: true,
    socketTimeout: ms,
  };
}

/**
 * `--request-timeout <ms>` as given (milliseconds, > 0), or the default.
 *
 * @example
 * ```ts
 * requestTimeoutOption('5000', 'quarantine'); // 5000
 * ```
 */
export function requestTimeoutOption(value: string | undefined, command: string): number {
  return value === undefined
    ? DEFAULT_REQUEST_TIMEOUT_MS
    : millisecondsOption(value, `${command}: --request-timeout`);
}

/**
 * Whether the error is a request that got no answer in time (connection, headers or a stalled body), as
 * {@link boundedRequests} makes it.
 *
 * @example
 * ```ts
 * if (isStalled(error)) console.error('S3 stopped answering');
 * ```
 */
export function isStalled(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.name === 'TimeoutError') return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * What a stalled request means, in one line, naming the setting.
 *
 * @example
 * ```ts
 * stalledProblem('S3', 60_000); // 'S3 stopped answering (no answer within 60000 ms; --request-timeout)'
 * ```
 */
export function stalledProblem(service: string, ms: number, error?: unknown): string {
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return `${service} stopped answering (no answer within ${ms} ms${attempts ? `, ${attempts} attempt(s)` : ''}; --request-timeout)`;
}
