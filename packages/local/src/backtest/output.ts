import { createReadStream, fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { outputCut } from '../cli/whole-writes.js';
import { LocalStackError } from '../errors.js';
import { jsonLine } from '../shown-text.js';
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
      // A file that takes no more (fault round 58): the output is cut; said in one line, exit 1.
      if (error.code !== 'EPIPE') outputCut('backtest', error);
      this.closed = true;
      onClosed();
    });
  }

  async write(value: unknown): Promise<void> {
    // U+2028, U+2029, NEL and other characters a line reader may end a line at are escaped (attacker round 81).
    await this.writeText(jsonLine(value));
  }

  async writeText(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(text)) {
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
  let first = true;
  for (;;) {
    const next = await Promise.race([lines.next(), failed]);
    if (next.done) return;
    // Another file given by mistake (the HTML report, a message) would resume nothing, silently (newcomer round 7);
    // a backtest's output starts with `{`, even a first line cut short.
    if (first && next.value.trim() !== '') {
      first = false;
      if (!next.value.trimStart().startsWith('{')) {
        input.destroy();
        throw new LocalStackError(
          `--resume ${path}: not the JSON Lines of wmflow backtest (its first line is no JSON object): give the file the earlier run wrote to stdout`,
        );
      }
    }
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

/**
 * Whether the output is appended to the `--resume` file (`… --resume out.jsonl >> out.jsonl`) and that file
 * ends inside a line cut short by an interruption: the first new line must then start on a line of its own, or
 * it is glued to the cut one and lost to the next resume.
 *
 * @example
 * ```ts
 * if (await continuesCutLine('results.jsonl', 1)) await out.writeText('\n');
 * ```
 */
export async function continuesCutLine(path: string, fd: number): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const [mine, theirs] = [await file.stat(), fstatSync(fd)];
    if (mine.size === 0 || mine.dev !== theirs.dev || mine.ino !== theirs.ino) return false;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, mine.size - 1);
    return last[0] !== 0x0a;
  } finally {
    await file.close();
  }
}
