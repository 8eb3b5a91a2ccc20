import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * The file that marks an `--out` folder as taken by a run while the run lasts (fault round 72).
 *
 * @example
 * ```ts
 * OUT_CLAIM; // '.wmflow-replay-out'
 * ```
 */
export const OUT_CLAIM = '.wmflow-replay-out';

/**
 * Takes an `--out` folder for this run, or refuses it: one that holds anything is refused as by {@link checkOutDir},
 * and so is one another run has taken (fault round 72: two runs at once both found it empty, and their files
 * mixed). The claim is {@link OUT_CLAIM} in the folder, made with `O_EXCL` so only one run gets it; the folder is then
 * checked again, so what it holds besides the claim was there first. Returns what gives the folder back (removes
 * the claim); a run killed meanwhile leaves it, and the folder is then refused as not empty, as are its files.
 *
 * @example
 * ```ts
 * const release = claimOutDir('replayed');
 * try { … } finally { release(); }
 * ```
 */
export function claimOutDir(dir: string): () => void {
  checkOutDir(dir);
  const claim = join(dir, OUT_CLAIM);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(claim, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LocalStackError(
      code === 'EEXIST'
        ? `--out ${dir} is in use by another run (${OUT_CLAIM} there): the two runs' files would mix; name another folder`
        : `--out ${dir}: cannot be written (${code ?? (error as Error).message})`,
    );
  }
  const release = () => rmSync(claim, { force: true });
  if (readdirSync(dir).some((name) => name !== OUT_CLAIM)) {
    release();
    checkOutDir(dir);
  }
  return release;
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
