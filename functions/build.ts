/**
 * Bundles each prebuilt function into `dist/functions/<name>/index.mjs` (minified ESM, source maps,
 * AWS SDK clients included, mailparser in a lazily loaded chunk) and enforces a size budget per bundle.
 *
 *   node --import tsx functions/build.ts [--outdir dir] [name …]
 */
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

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

/** Sizes of one built function. */
export interface BundleReport {
  name: FunctionName;
  dir: string;
  /** Bytes loaded at cold start: the entry and its static imports. */
  initial: number;
  /** Bytes of every JavaScript file of the bundle. */
  total: number;
  /** Chunks only reached through `import()`, with their sizes. */
  lazy: { file: string; bytes: number }[];
  overBudget: string[];
}

const ROOT = resolve(import.meta.dirname, '..');
const BANNER =
  "import { createRequire as __wmflowCreateRequire } from 'node:module'; const require = __wmflowCreateRequire(import.meta.url);";

/**
 * Builds the named functions (default all) into `outdir/<name>/`, one self-contained folder each
 * (a SAM `CodeUri`).
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
    await rm(dir, { recursive: true, force: true });
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { index: join(ROOT, 'functions', name, 'index.ts') },
      outdir: dir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      conditions: ['wmflow-source'],
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      banner: { js: BANNER },
      metafile: true,
      logLevel: 'warning',
    });
    reports.push(measure(name, dir, result.metafile));
  }
  return reports;
}

function measure(name: FunctionName, dir: string, metafile: Metafile): BundleReport {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const byPath = new Map(outputs.map(([file, out]) => [resolve(ROOT, file), out]));
  const entry = resolve(dir, 'index.mjs');
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const i of byPath.get(file)?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(resolve(ROOT, i.path));
    }
  };
  visit(entry);
  const size = (file: string) => byPath.get(file)?.bytes ?? 0;
  const initialBytes = [...initial].reduce((sum, f) => sum + size(f), 0);
  const total = [...byPath.keys()].reduce((sum, f) => sum + size(f), 0);
  const lazy = [...byPath.keys()]
    .filter((f) => !initial.has(f))
    .map((f) => ({ file: relative(dir, f), bytes: size(f) }));
  const budget = BUDGETS[name];
  const overBudget: string[] = [];
  if (initialBytes > budget.initial) overBudget.push(`initial ${initialBytes} > ${budget.initial}`);
  if (total > budget.total) overBudget.push(`total ${total} > ${budget.total}`);
  return { name, dir, initial: initialBytes, total, lazy, overBudget };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function lazySummary(lazy: BundleReport['lazy']): string {
  if (lazy.length === 0) return '-';
  const sum = lazy.reduce((n, l) => n + l.bytes, 0);
  const largest = [...lazy].sort((a, b) => b.bytes - a.bytes)[0];
  return `${lazy.length} chunks, ${kb(sum)} (largest ${largest?.file} ${kb(largest?.bytes ?? 0)})`;
}

/** The size report printed by the build. */
export function formatReport(reports: readonly BundleReport[]): string {
  const lines = ['function          initial (budget)           total (budget)             loaded on demand'];
  for (const r of reports) {
    const b = BUDGETS[r.name];
    lines.push(
      [
        r.name.padEnd(17),
        `${kb(r.initial)} (${kb(b.initial)})`.padEnd(26),
        `${kb(r.total)} (${kb(b.total)})`.padEnd(26),
        lazySummary(r.lazy),
        r.overBudget.length > 0 ? `  OVER BUDGET: ${r.overBudget.join('; ')}` : '',
      ].join(' '),
    );
  }
  return lines.join('\n');
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
  console.log(formatReport(reports));
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
