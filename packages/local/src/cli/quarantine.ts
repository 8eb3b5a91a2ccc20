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
    for await (const message of listQuarantine(s3, s3Place(places[0] as string))) {
      process.stdout.write(values.json ? `${JSON.stringify(message)}\n` : row(message));
      count++;
      if (message.error !== undefined) unreadable++;
    }
    const problems = unreadable > 0 ? `, ${unreadable} whose headers could not be read` : '';
    process.stderr.write(`wmflow quarantine: ${count} message(s) under ${places[0]}${problems}\n`);
    return unreadable > 0 ? 1 : 0;
  }
  if (action === 'show') {
    if (places.length !== 1) throw new LocalStackError('quarantine show: give one s3://bucket/key');
    const { bucket, key } = s3Place(places[0] as string);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
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
        process.stderr.write(`wmflow quarantine: ${place} not released: ${(error as Error).message}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
  throw new LocalStackError('quarantine: list, show or release');
}

function row(m: QuarantinedMessage): string {
  const verdicts = [m.spamVerdict && `spam ${m.spamVerdict}`, m.virusVerdict && `virus ${m.virusVerdict}`]
    .filter(Boolean)
    .join(', ');
  if (m.error !== undefined) return `${m.lastModified}  ${m.key}\n    not read: ${m.error}\n`;
  return `${m.lastModified}  ${m.key}\n    from ${m.from || '-'} to ${m.to.join(', ') || '-'}  ${JSON.stringify(m.subject)}${verdicts ? `  (${verdicts})` : ''}\n`;
}
