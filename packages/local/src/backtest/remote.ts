import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { boundedRequests } from '../cli/request-timeout.js';
import { LocalStackError } from '../errors.js';
import type { BatchEvent, BatchResult } from './batch.js';
import { failedLine } from './pool.js';
import type { BacktestInit } from './session.js';
import type { BacktestLine } from './types.js';

/**
 * Settings of {@link runRemote}.
 *
 * @example
 * ```ts
 * await runRemote({ stateMachineArn, source: 's3://acme-journal/journal/', init, onLine, onStatus: (t) => process.stderr.write(t) });
 * ```
 */
export interface RemoteOptions {
  stateMachineArn: string;
  /** `s3://bucket/prefix` of the journal. */
  source: string;
  init: BacktestInit;
  batchSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Progress text (items done of listed), for stderr. */
  onStatus?(text: string): void;
  onLine(line: BacktestLine): Promise<void>;
  sfn?: SFNClient;
  /** Each request's bound (connection, answer, silence mid-answer) for the clients made here; default 60 s. */
  requestTimeoutMs?: number;
  s3?: S3Client;
  pollMs?: number;
}

/**
 * The execution input `wmflow backtest --remote` starts the state machine of
 * template-backtest.yaml with.
 *
 * @example
 * ```ts
 * remoteInput('s3://acme-journal/journal/', init); // { bucket: 'acme-journal', prefix: 'journal/', init, batchSize: 50, concurrency: 50 }
 * ```
 */
export function remoteInput(source: string, init: BacktestInit, batchSize = 50, concurrency = 50) {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
  if (!match) throw new LocalStackError('--remote backtests an S3 journal: give s3://bucket/prefix');
  return { bucket: match[1] as string, prefix: match[2] as string, init, batchSize, concurrency };
}

/**
 * Starts the backtest state machine over an S3 journal, reports the Map run's
 * progress, and when it ends reads the ResultWriter's manifest and result
 * files: one line per message, and a failed line per message of a failed batch.
 *
 * @example
 * ```ts
 * await runRemote({ stateMachineArn: arn, source: 's3://acme-journal/journal/', init, onLine: write });
 * ```
 */
export async function runRemote(options: RemoteOptions): Promise<void> {
  // The state machine's region is in its ARN: the default when the AWS configuration names none.
  const named = /^arn:[^:]+:states:([^:]+):/.exec(options.stateMachineArn)?.[1];
  const region =
    process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION ? {} : named ? { region: named } : {};
  // Bounded requests (fault round 71): a service that stops answering fails the run, never holds it.
  const requestHandler = boundedRequests(options.requestTimeoutMs);
  const sfn = options.sfn ?? new SFNClient({ ...region, requestHandler });
  const s3 = options.s3 ?? new S3Client({ ...region, requestHandler });
  const input = remoteInput(options.source, options.init, options.batchSize, options.concurrency);
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: options.stateMachineArn, input: JSON.stringify(input) }),
  );
  options.onStatus?.(`started ${executionArn}\n`);
  let status = 'RUNNING';
  let output: string | undefined;
  while (status === 'RUNNING') {
    if (options.signal?.aborted)
      throw new LocalStackError(`interrupted; the execution goes on: ${executionArn}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    status = described.status ?? 'UNKNOWN';
    output = described.output;
    const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
    const mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
    if (mapRunArn) {
      const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).itemCounts;
      const done = (counts?.succeeded ?? 0) + (counts?.failed ?? 0);
      options.onStatus?.(
        `objects ${done}/${counts?.total ?? '?'} (${counts?.failed ?? 0} in failed batches)\n`,
      );
    }
  }
  if (status !== 'SUCCEEDED') throw new LocalStackError(`execution ${executionArn} ended ${status}`);
  await readResultWriter(s3, output, options.onLine);
}

/** What a Map with a ResultWriter outputs, and the manifest it writes. */
interface MapOutput {
  ResultWriterDetails?: { Bucket?: string; Key?: string };
}
interface Manifest {
  ResultFiles?: Record<string, { Key: string }[]>;
}
interface ChildResult {
  Input?: string;
  Output?: string;
  Status?: string;
  Error?: string;
  Cause?: string;
}

/**
 * Reads a Distributed Map's results from S3: the manifest named by the
 * execution output, then each result file (a JSON array of child executions
 * whose `Output` is a {@link BatchResult}, `Input` a {@link BatchEvent}).
 *
 * @example
 * ```ts
 * await readResultWriter(s3, execution.output, async (line) => tally.add(line));
 * ```
 */
export async function readResultWriter(
  s3: S3Client,
  output: string | undefined,
  onLine: (line: BacktestLine) => Promise<void>,
): Promise<void> {
  const details = (JSON.parse(output ?? '{}') as MapOutput).ResultWriterDetails;
  if (!details?.Bucket || !details.Key)
    throw new LocalStackError('the execution output names no ResultWriter manifest');
  const bucket = details.Bucket;
  const manifest = JSON.parse(await text(s3, bucket, details.Key)) as Manifest;
  // The Map cuts the listing into batches anywhere: a key the listing names twice may be in two batches. One line a
  // key (fault round 61): the ETags each batch was given, read first, tell one object judged twice from two objects;
  // the judged batches are read before the failed ones, so a key judged anywhere is not also reported failed.
  const results = Object.entries(manifest.ResultFiles ?? {}).sort(
    ([a], [b]) => Number(b === 'SUCCEEDED') - Number(a === 'SUCCEEDED'),
  );
  const etags = new Map<string, Set<string>>();
  for (const [, files] of results)
    for (const file of files)
      for (const child of JSON.parse(await text(s3, bucket, file.Key)) as ChildResult[])
        for (const item of itemsOf(child)) {
          const etag = item.Etag ?? item.ETag;
          if (etag === undefined) continue;
          const known = etags.get(item.Key) ?? new Set<string>();
          etags.set(item.Key, known.add(etag));
        }
  const reported = new Set<string>();
  const report = async (line: BacktestLine) => {
    if (reported.has(line.key)) return;
    reported.add(line.key);
    const given = [line.key, `${line.key}.json`].find((k) => (etags.get(k)?.size ?? 0) > 1);
    await onLine(
      given === undefined
        ? line
        : failedLine(line.key, {
            name: 'LocalStackError',
            message: `${given}: listed in two batches with different ETags; not judged against either`,
          }),
    );
  };
  for (const [kind, files] of results) {
    for (const file of files) {
      const children = JSON.parse(await text(s3, bucket, file.Key)) as ChildResult[];
      for (const child of children) {
        if (kind === 'SUCCEEDED' && child.Output) {
          for (const line of (JSON.parse(child.Output) as BatchResult).lines) await report(line);
          continue;
        }
        const error = { name: child.Error ?? kind, message: child.Cause ?? `batch ${kind.toLowerCase()}` };
        const items = itemsOf(child);
        // A failed batch whose items cannot be read leaves its messages unreported: the report fails instead.
        if (child.Input && items.length === 0)
          throw new LocalStackError(`${file.Key}: a ${kind.toLowerCase()} batch whose input lists no items`);
        // One line a message: a key the items name twice is one message not backtested (fault round 60).
        const keys = new Set(items.map((i) => i.Key).filter((k) => !k.endsWith('.json')));
        for (const Key of keys) await report(failedLine(Key, error));
      }
    }
  }
}

/** The items a child execution was given (none when its input is not a batch's). */
function itemsOf(child: ChildResult): BatchEvent['Items'] {
  const input = child.Input ? (JSON.parse(child.Input) as Partial<BatchEvent> | null) : undefined;
  return Array.isArray(input?.Items) ? input.Items : [];
}

async function text(s3: S3Client, bucket: string, key: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (got.Body as { transformToString(): Promise<string> }).transformToString();
}
