/** Input sizes compared: one run at SCALE·n against SCALE runs at n. Linear work gives about 1, quadratic SCALE. */
const SCALE = 8;

/** The shortest of `times` runs of `run`, in milliseconds. */
function best(run: () => void, times: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    run();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

/**
 * How the work of `fn` grows with its input: the time of one run on `make(8n)` over the time of eight runs on
 * `make(n)`, the best of five each (inputs built before timing). A busy machine only adds time, so a ratio at or
 * above `bound` is measured again (up to five times) and the lowest is kept: a quadratic function stays near 8 in
 * every one. A ratio, never an absolute time: the suite's timing claims hold on any machine.
 *
 * @example
 * ```ts
 * expect(growthRatio((n) => 'a'.repeat(n), (s) => s.indexOf('b'), 100_000)).toBeLessThan(3);
 * ```
 */
export function growthRatio<T>(
  make: (n: number) => T,
  fn: (input: T) => unknown,
  n: number,
  bound = 3,
): number {
  const small = make(n);
  const large = make(n * SCALE);
  fn(small);
  fn(large);
  let ratio = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 5 && ratio >= bound; attempt++) {
    const t1 = best(() => {
      for (let i = 0; i < SCALE; i++) fn(small);
    }, 5);
    const t8 = best(() => fn(large), 5);
    ratio = Math.min(ratio, t8 / Math.max(t1, 0.05));
  }
  return ratio;
}
