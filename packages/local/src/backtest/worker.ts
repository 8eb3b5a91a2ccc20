/**
 * A backtest worker process (`wmflow backtest -j N` forks N of them): sets up
 * an audit-safe session from the `init` message, then answers each `item`
 * message with its result line, one at a time, until `end`.
 */
import { serveWorker } from '../workers/serve-worker.js';
import { type BacktestInit, openBacktestSession } from './session.js';
import type { BacktestItem, BacktestLine } from './types.js';

serveWorker<BacktestInit, BacktestItem, BacktestLine>(async (init) => {
  const session = await openBacktestSession(init);
  return { handle: (item) => session.backtest(item), close: () => session.close() };
});
