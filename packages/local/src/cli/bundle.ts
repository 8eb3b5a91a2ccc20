import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BundleBudget, bundleHandler } from '../bundle/bundle.js';
import { formatBundleReport, parseSize } from '../bundle/report.js';
import { LocalStackError } from '../errors.js';
import { noSuchModule } from '../near-path.js';

/**
 * `wmflow bundle <handler.ts> [--out DIR] [--max-size SIZE] [--max-total SIZE]`: bundles a handler for
 * Lambda (`nodejs22.x`, handler `index.handler`, `CodeUri: DIR`), prints the size report to stderr and
 * exits 1 when a budget is exceeded. The default folder is `dist/<handler name>`.
 *
 * @example
 * ```ts
 * await bundle(['src/handler.ts', '--out', 'dist/handler', '--max-size', '1m']);
 * ```
 */
export async function bundle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'max-size': { type: 'string' },
      'max-total': { type: 'string' },
    },
  });
  const [entry, ...extra] = positionals;
  if (entry === undefined || extra.length > 0) throw new LocalStackError('give exactly one handler module');
  // Said as replay says it, not as esbuild's `Could not resolve "/abs/src\\handler.ts"` (newcomer round 8).
  if (!existsSync(entry)) throw new LocalStackError(noSuchModule(entry));
  const budget: BundleBudget = {};
  if (values['max-size'] !== undefined) budget.initial = size('--max-size', values['max-size']);
  if (values['max-total'] !== undefined) budget.total = size('--max-total', values['max-total']);
  const outdir = values.out ?? join('dist', basename(entry, extname(entry)));
  const report = await bundleHandler({ entry, outdir, budget });
  process.stderr.write(`${formatBundleReport([{ ...report, name: outdir }])}\n`);
  if (report.overBudget.length > 0) {
    process.stderr.write(`wmflow bundle: size budget exceeded: ${report.overBudget.join('; ')}\n`);
    return 1;
  }
  process.stderr.write(
    `wmflow bundle: ${join(outdir, 'index.mjs')} (Handler: index.handler, CodeUri: ${outdir})\n`,
  );
  return 0;
}

function size(flag: string, text: string): number {
  const n = parseSize(text);
  if (n === undefined || n <= 0) throw new LocalStackError(`${flag}: a size such as 950000, 900k or 1.5m`);
  return n;
}
