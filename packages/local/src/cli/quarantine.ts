import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalStackError } from '../errors.js';
import {
  listQuarantine,
  type QuarantinedMessage,
  releaseMessage,
  s3Place,
} from '../quarantine/quarantine.js';

/**
 * `wmflow quarantine list|show|release`: what the SES guard quarantined (`JUNK_POLICY=quarantine`: the
 * quarantine receipt rule stored it under `quarantine/`), with the standard AWS configuration.
 *
 * @example
 * ```ts
 * process.exitCode = await quarantine(['list', 's3://acme-inbound/quarantine/', '--json']);
 * ```
 */
export async function quarantine(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, to: { type: 'string' } },
  });
  const [action, ...places] = positionals;
  const s3 = new S3Client({});
  if (action === 'list') {
    if (places.length !== 1) throw new LocalStackError('quarantine list: give one s3://bucket/prefix');
    let count = 0;
    let unreadable = 0;
    try {
      for await (const message of listQuarantine(s3, s3Place(places[0] as string))) {
        process.stdout.write(values.json ? `${JSON.stringify(message)}\n` : row(message));
        count++;
        if (message.error !== undefined) unreadable++;
      }
    } catch (error) {
      throw s3Failure(places[0] as string, error);
    }
    const problems = unreadable > 0 ? `, ${unreadable} whose headers could not be read` : '';
    process.stderr.write(`wmflow quarantine: ${count} message(s) under ${places[0]}${problems}\n`);
    return unreadable > 0 ? 1 : 0;
  }
  if (action === 'show') {
    if (places.length !== 1) throw new LocalStackError('quarantine show: give one s3://bucket/key');
    const { bucket, key } = s3Place(places[0] as string);
    const got = await s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      .catch((error: unknown) => Promise.reject(s3Failure(places[0] as string, error)));
    await pipeline(got.Body as Readable, process.stdout, { end: false });
    return 0;
  }
  if (action === 'release') {
    if (places.length === 0 || !values.to)
      throw new LocalStackError(
        'quarantine release: give s3://bucket/key... --to s3://bucket/delivery-prefix/',
      );
    const to = s3Place(values.to);
    let failed = 0;
    for (const place of places) {
      try {
        const done = await releaseMessage(s3, s3Place(place), to);
        process.stdout.write(
          values.json ? `${JSON.stringify(done)}\n` : `${done.outcome}: ${done.from} -> ${done.to}\n`,
        );
      } catch (error) {
        failed++;
        const reason = isServiceError(error) ? serviceProblem(error) : (error as Error).message;
        process.stderr.write(`wmflow quarantine: ${place} not released: ${reason}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
  throw new LocalStackError(
    `${action === undefined ? 'give' : `unknown action "${action}": give`} list, show or release (wmflow quarantine --help)`,
  );
}

/** An error S3 answered with (it has the SDK's `$metadata`), as opposed to a setup or network problem. */
interface ServiceError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/**
 * What S3's answer means, in one line: a HEAD's 404 has no body, so the SDK names it `NotFound` with the
 * message `UnknownError`.
 */
function serviceProblem(error: ServiceError): string {
  const status = error.$metadata.httpStatusCode;
  if (error.name === 'NoSuchKey') return 'no such message (NoSuchKey)';
  if (error.name === 'NoSuchBucket') return 'no such bucket (NoSuchBucket)';
  if (error.name === 'NotFound' || (status === 404 && error.message === 'UnknownError'))
    return 'not found (no such message, or no such bucket)';
  if (error.message === 'UnknownError' || error.message === '')
    return `${error.name}${status ? ` (HTTP ${status})` : ''}`;
  return `${error.name}: ${error.message}`;
}

/**
 * S3's answer as the one-line error the CLI prints (`wmflow quarantine: s3://…: no such bucket …`); any other
 * error (no region, no credentials: the CLI says what to set) as it is.
 */
function s3Failure(place: string, error: unknown): unknown {
  return isServiceError(error) ? new LocalStackError(`${place}: ${serviceProblem(error)}`) : error;
}

function row(m: QuarantinedMessage): string {
  const verdicts = [m.spamVerdict && `spam ${m.spamVerdict}`, m.virusVerdict && `virus ${m.virusVerdict}`]
    .filter(Boolean)
    .join(', ');
  if (m.error !== undefined) return `${m.lastModified}  ${m.key}\n    not read: ${m.error}\n`;
  return `${m.lastModified}  ${m.key}\n    from ${m.from || '-'} to ${m.to.join(', ') || '-'}  ${JSON.stringify(m.subject)}${verdicts ? `  (${verdicts})` : ''}\n`;
}
