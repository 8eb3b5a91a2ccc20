import { HELD_OPEN_GRACE_MS } from '../cli/held-open.js';
import { describeError } from '../replay/invoke.js';

/** Parent → worker. */
export type ToWorker<Init, Item> =
  | { type: 'init'; init: Init }
  | { type: 'item'; seq: number; item: Item }
  | { type: 'end' };

/** Worker → parent. */
export type FromWorker<Out> =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; seq: number; out: Out }
  | { type: 'failed'; seq: number; error: { name: string; message: string } }
  /** After `end`: something the handler left open (a timer, a socket) kept the process running; it ends now. */
  | { type: 'held' };

/** What a worker process holds between items: set up once from the `init` message. */
export interface WorkerSession<Item, Out> {
  handle(item: Item): Promise<Out>;
  close(): Promise<void>;
}

/**
 * The worker side of {@link runOrderedPool}: opens a session from the `init`
 * message, then answers each `item` with its result, one at a time, until `end`.
 * Call it once, at the top level of the worker module.
 *
 * @example
 * ```ts
 * serveWorker(async (init: BacktestInit) => { const s = await openBacktestSession(init);
 *   return { handle: (item) => s.backtest(item), close: () => s.close() }; });
 * ```
 */
export function serveWorker<Init, Item, Out>(open: (init: Init) => Promise<WorkerSession<Item, Out>>): void {
  const send = (message: FromWorker<Out>) => process.send?.(message);
  let session: WorkerSession<Item, Out> | undefined;
  let queue = Promise.resolve();
  const handle = async (message: ToWorker<Init, Item>): Promise<void> => {
    if (message.type === 'init') {
      try {
        session = await open(message.init);
        send({ type: 'ready' });
      } catch (error) {
        const e = describeError(error);
        send({ type: 'fatal', message: `${e.name}: ${e.message}` });
        process.disconnect();
      }
    } else if (message.type === 'item' && session) {
      try {
        send({ type: 'result', seq: message.seq, out: await session.handle(message.item) });
      } catch (error) {
        send({ type: 'failed', seq: message.seq, error: describeError(error) });
      }
    } else if (message.type === 'end') {
      await session?.close();
      // A handler module that left a timer or socket open must not keep the worker, and the run waiting for it,
      // running (fault round 57): the channel stops holding the process, and one still running a moment later
      // says so to the parent (which says it as one process would) and ends.
      process.channel?.unref();
      setTimeout(() => {
        const exit = () => process.exit(0);
        if (process.connected && process.send)
          process.send({ type: 'held' } satisfies FromWorker<Out>, undefined, {}, exit);
        else exit();
      }, HELD_OPEN_GRACE_MS).unref();
    }
  };
  process.on('message', (message: ToWorker<Init, Item>) => {
    queue = queue.then(() => handle(message));
  });
  // A handler's stray rejection must not end the worker (replay does the same).
  process.on('unhandledRejection', () => {});
  // Ctrl-C reaches the whole process group: the parent stops handing out work and ends the workers itself.
  process.on('SIGINT', () => {});
}
