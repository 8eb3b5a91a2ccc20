import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One measured invocation in a fresh process. */
export interface ChildResult {
  initMs: number;
  /** Time for all invocations together. */
  handlerMs: number;
  /** Each invocation: wall time, CPU time, bytes read from the handler's sockets (AWS API responses). */
  invocations: { ms: number; cpuMs: number; bytesRead: number }[];
  /** CPU of the main thread alone over all invocations (10 ms resolution); undefined without /proc. */
  mainThreadCpuMs?: number;
  /** Peak RSS of the process. */
  maxRssMB: number;
  response: unknown;
}

/**
 * Runs `bundle`'s handler in a fresh `node` process with `env`: once for `event`, or once per event
 * for `{ file }` (a JSON array of events, for throughput), and returns its measurements.
 */
export async function runChild(
  bundle: string,
  event: object | { file: string },
  env: Record<string, string>,
): Promise<ChildResult> {
  const arg = 'file' in event && typeof event.file === 'string' ? `@${event.file}` : JSON.stringify(event);
  const child = join(import.meta.dirname, 'child.mjs');
  const nodeArgs = [...lambdaHeapFlags(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const { stdout } = await run(process.execPath, [...nodeArgs, child, bundle, arg], {
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as ChildResult;
}

/**
 * The V8 heap flags Lambda's Node.js bootstrap derives from the function's memory size (new space a tenth,
 * semi-space half of that, old space the rest), so a child's memory behaves as in a Lambda of
 * `BENCH_MEMORY_MB` (default 128, the smallest Lambda) rather than on a 24 GB machine where V8 collects lazily.
 */
export function lambdaHeapFlags(memoryMB = Number(process.env.BENCH_MEMORY_MB ?? 128)): string[] {
  const newSpace = Math.floor(memoryMB / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMB - newSpace}`];
}
