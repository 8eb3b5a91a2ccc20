import { bucketNameProblem } from '@wmflow/core';
import { LocalStackError } from '../errors.js';

/** An error S3 answered with (it has the SDK's `$metadata`), as opposed to a setup or network problem. */
export interface ServiceError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

export function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/**
 * What S3's answer means, in one line: a HEAD's 404 (or any bodiless answer) has no body, so the SDK names it
 * `NotFound`/`Unknown` with the message `UnknownError`.
 *
 * @example
 * ```ts
 * serviceProblem({ name: 'NoSuchBucket', message: '…', $metadata: { httpStatusCode: 404 } }); // 'no such bucket (NoSuchBucket)'
 * ```
 */
export function serviceProblem(error: ServiceError): string {
  const status = error.$metadata.httpStatusCode;
  const unnamed = error.message === 'UnknownError' || error.message === '';
  if (error.name === 'NoSuchKey') return 'no such message (NoSuchKey)';
  if (error.name === 'NoSuchBucket') return 'no such bucket (NoSuchBucket)';
  if (error.name === 'NotFound' || (status === 404 && unnamed))
    return 'not found (no such message, or no such bucket)';
  if (status === 403 && unnamed) return 'access denied (HTTP 403)';
  if (unnamed) return `${error.name}${status ? ` (HTTP ${status})` : ''}`;
  return `${error.name}: ${error.message}`;
}

/**
 * S3's answer as the one-line error the CLI prints (`wmflow quarantine: s3://…: no such bucket …`); any other
 * error (no region, no credentials: the CLI says what to set) as it is.
 *
 * @example
 * ```ts
 * try { await list(); } catch (error) { throw s3Failure('s3://acme/journal/', error); }
 * ```
 */
export function s3Failure(place: string, error: unknown): unknown {
  if (!isServiceError(error)) return error;
  // A bucket that is not there because no bucket can have its name: said why (newcomer round 10). The name is not
  // refused up front: a us-east-1 bucket made before 2018 may have capitals or underscores.
  const bucket = /^s3:\/\/([^/]*)/.exec(place)?.[1];
  const problem =
    error.name === 'NoSuchBucket' && bucket !== undefined ? bucketNameProblem(bucket) : undefined;
  return new LocalStackError(`${place}: ${serviceProblem(error)}${problem ? `: ${problem}` : ''}`);
}

/**
 * Any AWS service's answer as one line, in its own words (`StateMachineDoesNotExist: …`, or the status when it
 * gave none); any other error as it is.
 *
 * @example
 * ```ts
 * await runRemote(options).catch((error) => Promise.reject(awsFailure(arn, error)));
 * ```
 */
export function awsFailure(place: string, error: unknown): unknown {
  if (!isServiceError(error)) return error;
  const status = error.$metadata.httpStatusCode;
  const said =
    error.message === 'UnknownError' || error.message === ''
      ? `${error.name}${status ? ` (HTTP ${status})` : ''}`
      : `${error.name}: ${error.message}`;
  return new LocalStackError(`${place}: ${said}`);
}
