/** Median and spread (min–max) of repeated measurements. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, runs: sorted.length };
}

/** `a / b` rounded for tables; `∞` when b is 0. */
export function ratio(a: number, b: number): string {
  return b === 0 ? '∞' : (a / b).toFixed(a / b < 0.1 ? 4 : 2);
}
