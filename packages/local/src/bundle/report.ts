import type { BundleReport } from './bundle.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function lazySummary(lazy: BundleReport['lazy']): string {
  if (lazy.length === 0) return '-';
  const sum = lazy.reduce((n, l) => n + l.bytes, 0);
  const largest = [...lazy].sort((a, b) => b.bytes - a.bytes)[0];
  return `${lazy.length} chunks, ${kb(sum)} (largest ${largest?.file} ${kb(largest?.bytes ?? 0)})`;
}

const withBudget = (bytes: number, budget: number | undefined) =>
  budget === undefined ? kb(bytes) : `${kb(bytes)} (${kb(budget)})`;

/**
 * The size report of `wmflow bundle` and the prebuilt functions' build: one line per bundle with what a
 * cold start loads, the whole bundle, and the chunks loaded on demand (budgets in parentheses).
 *
 * @example
 * ```ts
 * process.stderr.write(`${formatBundleReport([await bundleHandler({ entry, outdir })])}\n`);
 * ```
 */
export function formatBundleReport(reports: readonly (BundleReport & { name?: string })[]): string {
  const lines = ['bundle            initial (budget)           total (budget)             loaded on demand'];
  for (const r of reports) {
    lines.push(
      [
        (r.name ?? r.outdir).padEnd(17),
        withBudget(r.initial, r.budget.initial).padEnd(26),
        withBudget(r.total, r.budget.total).padEnd(26),
        lazySummary(r.lazy),
        r.overBudget.length > 0 ? `  OVER BUDGET: ${r.overBudget.join('; ')}` : '',
      ].join(' '),
    );
  }
  return lines.join('\n');
}

/**
 * Parses a size: bytes, or a number with `k`/`kb`/`kib` or `m`/`mb`/`mib` (1024-based). Undefined for bad input.
 *
 * @example
 * ```ts
 * parseSize('900k'); // 921600
 * ```
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|kib|m|mb|mib)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Math.round(Number(m[1]) * factor);
}
