import { rm } from 'node:fs/promises';
import { isAbsolute, parse, relative, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { LocalStackError } from '../errors.js';
import { type BundleMode, esbuildOptions } from './esbuild-options.js';

/** Size limits of a bundle in bytes (minified, source maps not counted). */
export interface BundleBudget {
  /** What a cold start loads: `index.mjs` and the chunks it imports statically. */
  initial?: number;
  /** Every JavaScript file of the bundle, lazy chunks included. */
  total?: number;
}

/** Settings of {@link bundleHandler}. */
export interface BundleOptions {
  /** The handler module (TypeScript or JavaScript) exporting `handler`. */
  entry: string;
  /** The folder to (re)create: `index.mjs`, `chunks/`, source maps. What SAM's `CodeUri` points at. */
  outdir: string;
  /** Default `'lambda'`. */
  mode?: BundleMode;
  budget?: BundleBudget;
}

/** Sizes of one bundle. */
export interface BundleReport {
  entry: string;
  outdir: string;
  /** Bytes loaded at cold start: the entry and its static imports. */
  initial: number;
  /** Bytes of every JavaScript file of the bundle. */
  total: number;
  /** Chunks only reached through `import()`, with their sizes. */
  lazy: { file: string; bytes: number }[];
  budget: BundleBudget;
  /** Each budget exceeded, e.g. `initial 1200000 > 950000`; empty when within budget. */
  overBudget: string[];
}

/**
 * Bundles a Lambda handler with wmflow's esbuild configuration (see {@link esbuildOptions}) into
 * `outdir/index.mjs` (Lambda handler `index.handler`) and measures what a cold start loads.
 *
 * @example
 * ```ts
 * const report = await bundleHandler({ entry: 'src/handler.ts', outdir: 'dist/handler', budget: { initial: 1_000_000 } });
 * if (report.overBudget.length > 0) process.exitCode = 1;
 * ```
 */
export async function bundleHandler(options: BundleOptions): Promise<BundleReport> {
  const entry = resolve(options.entry);
  const outdir = resolve(options.outdir);
  await rm(outdir, { recursive: true, force: true });
  let metafile: Metafile | undefined;
  try {
    ({ metafile } = await build({
      ...esbuildOptions(entry, outdir, options.mode ?? 'lambda'),
      // Paths in the metafile are then relative to the file system root, wherever the bundle goes.
      absWorkingDir: parse(outdir).root,
    }));
  } catch (error) {
    const errors = (
      error as {
        errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
      }
    ).errors;
    const first = errors?.[0];
    // esbuild names the file relative to absWorkingDir (the root) and counts columns from 0: say it as an
    // editor does (`src/handler.ts:2:40`), from the working folder.
    const at = first?.location;
    const where = at ? ` (${shown(resolve(parse(outdir).root, at.file))}:${at.line}:${at.column + 1})` : '';
    const more = errors && errors.length > 1 ? `, and ${errors.length - 1} more error(s)` : '';
    throw new LocalStackError(
      `cannot bundle ${shown(entry)}: ${first?.text ?? String(error)}${where}${more}`,
    );
  }
  return measure(outdir, metafile as Metafile, entry, options.budget ?? {});
}

/** A path relative to the working folder when under it, else as it is. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function measure(outdir: string, metafile: Metafile, entry: string, budget: BundleBudget): BundleReport {
  const root = parse(outdir).root;
  const outputs = Object.entries(metafile.outputs).filter(([file]) => /\.[mc]js$/.test(file));
  const byPath = new Map(outputs.map(([file, out]) => [resolve(root, file), out]));
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const i of byPath.get(file)?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(resolve(root, i.path));
    }
  };
  visit(resolve(outdir, 'index.mjs'));
  const size = (file: string) => byPath.get(file)?.bytes ?? 0;
  const initialBytes = [...initial].reduce((sum, f) => sum + size(f), 0);
  const total = [...byPath.keys()].reduce((sum, f) => sum + size(f), 0);
  const lazy = [...byPath.keys()]
    .filter((f) => !initial.has(f))
    .map((f) => ({ file: relative(outdir, f), bytes: size(f) }));
  const overBudget: string[] = [];
  if (budget.initial !== undefined && initialBytes > budget.initial)
    overBudget.push(`initial ${initialBytes} > ${budget.initial}`);
  if (budget.total !== undefined && total > budget.total) overBudget.push(`total ${total} > ${budget.total}`);
  return { entry, outdir, initial: initialBytes, total, lazy, budget, overBudget };
}
