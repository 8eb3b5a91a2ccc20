import { S3Client } from '@aws-sdk/client-s3';
import { LocalStackError } from '../errors.js';
import { type BacktestInit, openBacktestSession } from './session.js';
import { openSource } from './source.js';
import type { BacktestLine } from './types.js';

/**
 * What the Step Functions Distributed Map hands the batch Lambda: a batch of
 * the S3 listing (ItemBatcher) and the execution's settings (BatchInput).
 *
 * @example
 * ```ts
 * const event: BatchEvent = { Items: [{ Key: 'journal/inbound/2026/11/29/abc' }], BatchInput: { bucket: 'acme-journal', init } };
 * ```
 */
export interface BatchEvent {
  Items: { Key: string; Size?: number }[];
  BatchInput: { bucket: string; init: BacktestInit };
}

/**
 * An S3 client for the journal whose region, credentials and endpoint are all
 * fixed now, from `env`: the SDK would otherwise read them from the environment
 * at its first request, after the session has pointed it at the emulators.
 *
 * @example
 * ```ts
 * const journal = journalClient(process.env); // in the Lambda, before the first batch
 * ```
 */
export function journalClient(env: NodeJS.ProcessEnv): S3Client {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN } = env;
  if (!accessKeyId || !secretAccessKey)
    throw new LocalStackError(
      'the backtest Lambda needs its credentials in the environment (AWS_ACCESS_KEY_ID)',
    );
  return new S3Client({
    region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
    },
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${region}.amazonaws.com`,
  });
}

/** The batch's result (kept small: the Map's ResultWriter stores it). */
export interface BatchResult {
  lines: BacktestLine[];
}

/**
 * Backtests one batch of journal objects: reads them from the journal bucket
 * with `journal` (the function's real S3 access), and replays them on an
 * emulator started in this process, the same code path as `wmflow backtest`'s
 * workers. Metadata objects (`*.json`) in the batch are skipped. A process
 * serves one backtest configuration: the policies read theirs at import.
 *
 * @example
 * ```ts
 * const run = batchRunner(new S3Client({}));
 * const { lines } = await run(event);
 * ```
 */
export function batchRunner(journal: S3Client): (event: BatchEvent) => Promise<BatchResult> {
  let session: ReturnType<typeof openBacktestSession> | undefined;
  let configured: string | undefined;
  return async (event) => {
    const { bucket, init } = event.BatchInput;
    const config = JSON.stringify(init);
    configured ??= config;
    if (config !== configured)
      throw new LocalStackError(
        'this backtest process was set up for another configuration; retry elsewhere',
      );
    session ??= openBacktestSession(init);
    const { backtest } = await session;
    const source = await openSource(`s3://${bucket}/`, { s3: journal });
    const lines: BacktestLine[] = [];
    try {
      for (const { Key } of event.Items) {
        if (Key.endsWith('.json') || Key.endsWith('/')) continue;
        const item = await source.fetch(Key);
        try {
          lines.push(await backtest(item));
        } finally {
          await source.release(item);
        }
      }
    } finally {
      await source.close();
    }
    return { lines };
  };
}
