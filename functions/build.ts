/**
 * Bundles each prebuilt function into `dist/functions/<name>/index.mjs` with `wmflow bundle`'s
 * configuration (minified ESM, source maps, AWS SDK clients included, mailparser in a lazily loaded
 * chunk) and enforces a size budget per bundle. `--outdir functions/dist` makes the bundles that the
 * `@wmflow/functions` package ships.
 *
 *   node --import tsx functions/build.ts [--outdir dir] [name …]
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler, formatBundleReport, type BundleReport as LocalBundleReport } from '@wmflow/local';

/** The prebuilt functions, each `functions/<name>/index.ts`. */
export const FUNCTIONS = ['archiver', 'guard', 'outbound-policy'] as const;
/** The prebuilt functions for SES receipt rules (template-ses.yaml). */
export const SES_FUNCTIONS = ['archiver-ses', 'guard-ses'] as const;
const ALL = [...FUNCTIONS, ...SES_FUNCTIONS] as const;
export type FunctionName = (typeof ALL)[number];

/**
 * Size budgets in bytes (minified, without source maps). `initial` is what a cold start loads (the
 * entry and the chunks it imports statically); `total` adds the chunks loaded on demand (libmime and
 * iconv-lite for header decoding, mailsplit for edits, mailparser and html-to-text for full parses,
 * SSO/STS credential providers). Measured November 2026: initial ~0.72 MB, total ~2.13 MB each; set with
 * ~30 % headroom for initial and ~25 % for total. Change them deliberately.
 */
export const BUDGETS: Readonly<Record<FunctionName, { initial: number; total: number }>> = {
  archiver: { initial: 950_000, total: 2_700_000 },
  guard: { initial: 950_000, total: 2_700_000 },
  'outbound-policy': { initial: 950_000, total: 2_700_000 },
  // The SES client replaces the Message Flow client; the same budgets hold.
  'archiver-ses': { initial: 950_000, total: 2_700_000 },
  'guard-ses': { initial: 950_000, total: 2_700_000 },
};

/** Sizes of one built function (`dir` is its `CodeUri`). */
export type BundleReport = LocalBundleReport & { name: FunctionName; dir: string };

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Builds the named functions (default all) into `outdir/<name>/`, one self-contained folder each
 * (a SAM `CodeUri`), with the same bundler configuration as `wmflow bundle` (`bundleHandler`).
 *
 * @example
 * ```ts
 * const [report] = await buildFunctions({ outdir: '/tmp/fn', names: ['archiver'] });
 * ```
 */
export async function buildFunctions(
  options: { outdir?: string; names?: readonly FunctionName[] } = {},
): Promise<BundleReport[]> {
  const outdir = resolve(options.outdir ?? join(ROOT, 'dist/functions'));
  const reports: BundleReport[] = [];
  for (const name of options.names ?? ALL) {
    const dir = join(outdir, name);
    const entry = join(ROOT, 'functions', name, 'index.ts');
    const report = await bundleHandler({ entry, outdir: dir, budget: BUDGETS[name] });
    reports.push({ ...report, name, dir });
  }
  return reports;
}

/** The size report printed by the build. */
export function formatReport(reports: readonly BundleReport[]): string {
  return formatBundleReport(reports);
}

async function main(argv: string[]): Promise<number> {
  let outdir: string | undefined;
  const names: FunctionName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--outdir') outdir = argv[++i];
    else if ((ALL as readonly string[]).includes(arg)) names.push(arg as FunctionName);
    else {
      console.error(`unknown argument ${arg}; functions: ${ALL.join(', ')}`);
      return 2;
    }
  }
  const reports = await buildFunctions({ outdir, names: names.length > 0 ? names : ALL });
  console.error(formatReport(reports));
  const over = reports.filter((r) => r.overBudget.length > 0);
  if (over.length > 0) {
    console.error(
      `size budget exceeded: ${over.map((r) => r.name).join(', ')} (see BUDGETS in functions/build.ts)`,
    );
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
