import { createWriteStream, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LocalStackError } from '../errors.js';
import { partialPathOf } from '../partial-path.js';

/**
 * Refuses an `--out` folder that already holds something (fault round 65): a rerun into it mixed its files with the
 * earlier run's — a rewrite the new policy no longer makes stayed beside the new ones, and journal copies under fresh
 * message ids piled up, so `wmflow backtest DIR/s3/…` backtested every message once per run. A folder that does not
 * exist yet, or is empty, is fine.
 */
export function checkOutDir(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new LocalStackError(`--out ${dir}: cannot be read (${code ?? (error as Error).message})`);
  }
  if (entries.length > 0)
    throw new LocalStackError(
      `--out ${dir} is not empty: this run's files would mix with what is there (an earlier run's); remove it or name another folder`,
    );
}

/**
 * Writes one file of `--out` whole or not at all: into `.<name>.partial-<pid>` beside it, renamed to its name once
 * every byte is on disk. A write that fails (a full disk, a file-size limit, a folder that cannot be written) removes
 * the partial file and fails the run with the path and the reason; a process killed meanwhile leaves only the
 * `.partial-` file, never a cut file under the real name. `option` names the flag in the error (`--report`).
 */
export async function writeOutFile(
  path: string,
  content: Buffer | string | NodeJS.ReadableStream,
  option = '--out',
): Promise<void> {
  const partial = partialPathOf(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(partial, content);
    else await pipeline(content, createWriteStream(partial));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    throw new LocalStackError(
      `${option}: ${path} could not be written (${code ?? (error as Error).message}): the run's output is not whole`,
    );
  }
}
