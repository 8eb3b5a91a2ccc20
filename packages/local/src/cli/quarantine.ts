import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { keepAnswerOnBody } from '@wmflow/core';
import { LocalStackError } from '../errors.js';
import {
  listQuarantine,
  type QuarantinedMessage,
  releaseMessage,
  s3Place,
} from '../quarantine/quarantine.js';
import { showMessage } from '../quarantine/show.js';
import { jsonLine, shownText } from '../shown-text.js';
import { boundedRequests, isStalled, requestTimeoutOption, stalledProblem } from './request-timeout.js';
import { isServiceError, s3Failure, serviceProblem } from './s3-problem.js';

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
    options: {
      json: { type: 'boolean' },
      to: { type: 'string' },
      etag: { type: 'string', multiple: true, default: [] },
      reasons: { type: 'string' },
      'request-timeout': { type: 'string' },
    },
  });
  const [action, ...places] = positionals;
  // Every request bounded (fault round 71): an S3 that stops answering fails the command, never holds it.
  const timeoutMs = requestTimeoutOption(values['request-timeout'], 'quarantine');
  // The answer's status and headers kept on a checksummed body, so a part of the object is refused (fault round 72).
  const s3 = keepAnswerOnBody(new S3Client({ requestHandler: boundedRequests(timeoutMs) }));
  // A request S3 never answered (within the timeout, after the SDK's retries) says so, in one line.
  const failure = (place: string, error: unknown): unknown =>
    isStalled(error)
      ? new LocalStackError(
          `${place}: ${error instanceof LocalStackError ? `${error.message}; ` : ''}${stalledProblem('S3', timeoutMs, error)}`,
          { cause: error },
        )
      : s3Failure(place, error);
  if (action === 'list') {
    if (places.length !== 1) throw new LocalStackError('quarantine list: give one s3://bucket/prefix');
    let count = 0;
    let unreadable = 0;
    let reasonsUnread = 0;
    // Where the guard records why it held each message (`held/` beside the quarantine by default; fault round 70).
    const reasons =
      values.reasons === undefined
        ? {}
        : { reasons: values.reasons === 'none' ? (false as const) : s3Place(values.reasons) };
    try {
      for await (const message of listQuarantine(s3, s3Place(places[0] as string), reasons)) {
        process.stdout.write(values.json ? jsonLine(message) : row(message, values.reasons !== 'none'));
        count++;
        if (message.error !== undefined) unreadable++;
        if (message.heldError !== undefined) reasonsUnread++;
      }
    } catch (error) {
      throw failure(places[0] as string, error);
    }
    const problems = [
      unreadable > 0 ? `, ${unreadable} whose headers could not be read` : '',
      reasonsUnread > 0 ? `, ${reasonsUnread} whose reason for the hold could not be read` : '',
    ].join('');
    process.stderr.write(`wmflow quarantine: ${count} message(s) under ${places[0]}${problems}\n`);
    return unreadable > 0 || reasonsUnread > 0 ? 1 : 0;
  }
  if (action === 'show') {
    if (places.length !== 1) throw new LocalStackError('quarantine show: give one s3://bucket/key');
    // `--etag` as `list` printed it: that object only, the one `release --etag` will release (fault round 53).
    if (values.etag.length > 1)
      throw new LocalStackError(`quarantine show: give one --etag (${values.etag.length} given), or none`);
    const [etag] = values.etag;
    await showMessage(
      s3,
      s3Place(places[0] as string),
      process.stdout,
      etag === undefined ? {} : { etag },
    ).catch((error: unknown) => Promise.reject(failure(places[0] as string, error)));
    return 0;
  }
  if (action === 'release') {
    if (places.length === 0 || !values.to)
      throw new LocalStackError(
        'quarantine release: give s3://bucket/key... --to s3://bucket/delivery-prefix/',
      );
    const to = s3Place(values.to);
    // One ETag per message, in order: each release is tied to the object reviewed, or none is.
    const etags = values.etag;
    if (etags.length > 0 && etags.length !== places.length)
      throw new LocalStackError(
        `quarantine release: give one --etag per message (${places.length} messages, ${etags.length} --etag), or none`,
      );
    let failed = 0;
    for (const [i, place] of places.entries()) {
      const etag = etags[i];
      try {
        const done = await releaseMessage(s3, s3Place(place), to, etag === undefined ? {} : { etag });
        process.stdout.write(
          values.json
            ? jsonLine(done)
            : `${done.outcome}: ${shownText(done.from)} -> ${shownText(done.to)}\n`,
        );
      } catch (error) {
        failed++;
        const reason = isStalled(error)
          ? `${error instanceof LocalStackError ? `${error.message}; ` : ''}${stalledProblem('S3', timeoutMs, error)}`
          : isServiceError(error)
            ? serviceProblem(error)
            : (error as Error).message;
        process.stderr.write(`wmflow quarantine: ${place} not released: ${reason}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
  throw new LocalStackError(
    `${action === undefined ? 'give' : `unknown action "${action}": give`} list, show or release (wmflow quarantine --help)`,
  );
}

// Every value a sender or the stored message chose goes through shownText: a subject, an address or a verdict
// header holding escape sequences or bidi controls cannot redraw or forge the listing (attacker round 81).
function row(m: QuarantinedMessage, reasonsRead: boolean): string {
  const verdicts = [m.spamVerdict && `spam ${m.spamVerdict}`, m.virusVerdict && `virus ${m.virusVerdict}`]
    .filter(Boolean)
    .join(', ');
  const listed = `${m.lastModified}  ${m.key}${m.etag ? `  etag ${m.etag}` : ''}`;
  const held = `    ${heldLine(m, reasonsRead)}\n`;
  if (m.error !== undefined) return `${shownText(listed)}\n    not read: ${shownText(m.error)}\n${held}`;
  const to = m.to.join(', ') || '-';
  return `${shownText(listed)}\n    from ${shownText(m.from || '-')} to ${shownText(to)}  ${shownText(JSON.stringify(m.subject))}${verdicts ? `  (${shownText(verdicts)})` : ''}\n${held}`;
}

// Why it was held (fault round 70): as the guard recorded it, or that nothing says (its log does, under the key's name).
function heldLine(m: QuarantinedMessage, reasonsRead: boolean): string {
  if (!reasonsRead) return 'held: reason not read (--reasons none)';
  if (m.held) return shownText(`held (${m.held.cause}): ${m.held.reason}`);
  if (m.heldError !== undefined) return `held: reason not read: ${shownText(m.heldError)}`;
  const id = m.key.slice(m.key.lastIndexOf('/') + 1);
  return shownText(`held: no reason recorded (the guard's log says why, under message id ${id})`);
}
