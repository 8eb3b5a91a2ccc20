/**
 * A backtest worker process (`wmflow backtest -j N` forks N of them): sets up
 * an audit-safe session from the `init` message, then answers each `item`
 * message with its result line, one at a time, until `end`.
 */
import { describeError } from '../replay/invoke.js';
import { type BacktestInit, openBacktestSession } from './session.js';
import type { BacktestItem, BacktestLine } from './types.js';

/** Parent → worker. */
export type ToWorker =
  | { type: 'init'; init: BacktestInit }
  | { type: 'item'; seq: number; item: BacktestItem }
  | { type: 'end' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; seq: number; line: BacktestLine }
  | { type: 'failed'; seq: number; error: { name: string; message: string } };

const send = (message: FromWorker) => process.send?.(message);
let session: Awaited<ReturnType<typeof openBacktestSession>> | undefined;
let queue = Promise.resolve();

process.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
// A handler's stray rejection must not end the worker (replay does the same).
process.on('unhandledRejection', () => {});
// Ctrl-C reaches the whole process group: the parent stops handing out work and ends the workers itself.
process.on('SIGINT', () => {});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    try {
      session = await openBacktestSession(message.init);
      send({ type: 'ready' });
    } catch (error) {
      const e = describeError(error);
      send({ type: 'fatal', message: `${e.name}: ${e.message}` });
      process.disconnect();
    }
  } else if (message.type === 'item' && session) {
    try {
      send({ type: 'result', seq: message.seq, line: await session.backtest(message.item) });
    } catch (error) {
      send({ type: 'failed', seq: message.seq, error: describeError(error) });
    }
  } else if (message.type === 'end') {
    await session?.close();
    process.disconnect();
  }
}
