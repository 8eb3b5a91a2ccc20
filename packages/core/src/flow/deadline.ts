/** Deadline guard settings. */
export interface DeadlineOptions {
  /** Answer this long before the earliest limit, in milliseconds. Default 1000. */
  safetyMarginMs?: number;
  /** How long the engine waits for a synchronous answer. Default: the engine's limit (WorkMail 15000, SES 30000). */
  engineTimeoutMs?: number;
  /** Former name of `engineTimeoutMs`, still honoured. */
  workmailTimeoutMs?: number;
}

/**
 * Milliseconds the chain may run: the earlier of the engine's wait (synchronous only; `engineLimitMs` is the
 * engine adapter's limit) and the Lambda's remaining time, less the margin.
 */
export function deadlineBudget(
  options: DeadlineOptions,
  synchronous: boolean,
  remainingLambdaMs: number | undefined,
  engineLimitMs: number,
): number {
  const margin = options.safetyMarginMs ?? 1000;
  const engine = synchronous
    ? (options.engineTimeoutMs ?? options.workmailTimeoutMs ?? engineLimitMs)
    : Number.POSITIVE_INFINITY;
  const lambda = remainingLambdaMs ?? Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(engine, lambda) - margin);
}

/** Resolves `'done'` when `work` settles first, `'deadline'` when `budgetMs` passes first; rejects with `work`'s error. */
export async function raceDeadline(work: Promise<void>, budgetMs: number): Promise<'done' | 'deadline'> {
  if (!Number.isFinite(budgetMs)) {
    await work;
    return 'done';
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), Math.min(budgetMs, 2 ** 31 - 1));
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
