/**
 * Why {@link checkUpdate} refuses an updated message, one code per WorkMail rule.
 *
 * @example
 * ```ts
 * const code: UpdateProblemCode = 'line-too-long';
 * ```
 */
export type UpdateProblemCode =
  | 'malformed-mime'
  | 'malformed-header'
  | 'missing-required-header'
  | 'immutable-header-changed'
  | 'duplicate-unique-header'
  | 'line-too-long'
  | 'non-ascii'
  | 'limit-exceeded';

/**
 * One reason the updated message would be rejected.
 *
 * @example
 * ```ts
 * const problem: UpdateProblem = { code: 'non-ascii', reason: 'line 12 has a byte outside 7-bit ASCII', line: 12 };
 * ```
 */
export interface UpdateProblem {
  readonly code: UpdateProblemCode;
  /** A readable sentence saying what is wrong and where. */
  readonly reason: string;
  /** 1-based line of the updated message, when the problem sits on a line. */
  readonly line?: number;
  /** Lower-case header name, for header problems. */
  readonly header?: string;
}

/**
 * Keeps the first `max` problems, and the first of each code whatever the
 * budget; counts later repeats of a line-level code into its first report.
 *
 * @example
 * ```ts
 * const problems = new ProblemList(20);
 * problems.add({ code: 'line-too-long', reason: 'line 3 is 1200 octets long', line: 3 });
 * problems.list(); // the kept problems, repeats summarised
 * ```
 */
export class ProblemList {
  private readonly kept: UpdateProblem[] = [];
  private readonly repeats = new Map<UpdateProblemCode, number>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.kept.length;
  }

  /** Records a problem; a repeat of a line-level code is only counted. */
  add(problem: UpdateProblem): void {
    const lineLevel = problem.code === 'line-too-long' || problem.code === 'non-ascii';
    const seen = this.kept.some((kept) => kept.code === problem.code);
    if ((lineLevel && seen) || (seen && this.kept.length >= this.max)) {
      this.repeats.set(problem.code, (this.repeats.get(problem.code) ?? 0) + 1);
      return;
    }
    this.kept.push(problem);
  }

  /** The kept problems, the first of each code telling how many more of that code there were. */
  list(): UpdateProblem[] {
    const told = new Set<UpdateProblemCode>();
    return this.kept.map((problem) => {
      const more = this.repeats.get(problem.code);
      if (!more || told.has(problem.code)) return problem;
      told.add(problem.code);
      return { ...problem, reason: `${problem.reason} (and ${more} more like it)` };
    });
  }
}
