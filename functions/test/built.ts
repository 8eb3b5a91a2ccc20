import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BundleReport, buildFunctions } from '../build.js';

const run = promisify(execFile);

/** The functions bundled into a temporary folder (what `npm run build` makes, not the sources). */
export interface Built {
  outdir: string;
  reports: BundleReport[];
  remove(): Promise<void>;
}

/**
 * Bundles every function into a fresh temporary folder.
 *
 * @example
 * ```ts
 * const built = await buildToTemp();
 * join(built.outdir, 'guard/index.mjs');
 * ```
 */
export async function buildToTemp(): Promise<Built> {
  const outdir = await mkdtemp(join(tmpdir(), 'wmflow-functions-'));
  const reports = await buildFunctions({ outdir });
  return { outdir, reports, remove: () => rm(outdir, { recursive: true, force: true }) };
}

/**
 * Runs a script in a fresh `node` process with exactly `env` (plus PATH): bundles create their
 * SDK clients from the environment at cold start, as in Lambda.
 *
 * @example
 * ```ts
 * const { stdout } = await runNode('console.log(1)', { JOURNAL_BUCKET: 'journal' });
 * ```
 */
export async function runNode(
  script: string,
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
}
