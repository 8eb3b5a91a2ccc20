import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { LocalStackError } from '../errors.js';
import type { BacktestLine } from './types.js';

/**
 * Writes JSON lines to stdout with backpressure; `closed` turns true when the
 * reader went away (EPIPE), so the run can stop instead of working for nobody.
 *
 * @example
 * ```ts
 * const out = new JsonLinesOut(process.stdout, () => stop.abort());
 * await out.write({ type: 'message' });
 * ```
 */
export class JsonLinesOut {
  closed = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    onClosed: () => void,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      this.closed = true;
      onClosed();
    });
  }

  async write(value: unknown): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(`${JSON.stringify(value)}\n`)) {
      await new Promise<void>((resolve) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', () => resolve());
      });
    }
  }
}

/**
 * Reads the message lines of an earlier run's output (for `--resume`),
 * streamed; summary lines and a last line cut short by an interruption are skipped.
 *
 * @example
 * ```ts
 * for await (const line of readResults('results.jsonl')) done.add(line.key);
 * ```
 */
export async function* readResults(path: string): AsyncGenerator<BacktestLine> {
  const input = createReadStream(path, 'utf8');
  const failed = new Promise<never>((_, reject) =>
    input.once('error', (e) => reject(new LocalStackError(`--resume ${path}: ${e.message}`))),
  );
  failed.catch(() => {});
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([lines.next(), failed]);
    if (next.done) return;
    let value: unknown;
    try {
      value = JSON.parse(next.value);
    } catch {
      continue;
    }
    const line = value as Partial<BacktestLine>;
    if (line?.type === 'message' && typeof line.key === 'string' && line.candidate)
      yield line as BacktestLine;
  }
}
