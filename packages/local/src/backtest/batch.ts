import type { S3Client } from '@aws-sdk/client-s3';
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
