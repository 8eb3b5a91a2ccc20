/** Why a reader stopped at its deadline: said in what it reports unread. */
export const TIME_RAN_OUT = 'the time to read it ran out (the deadline)';

/** Steps between two readings of the clock: a clock read costs far more than a step. */
const STEPS_PER_CHECK = 1024;

/**
 * The time (`Date.now()` scale) by which a synchronous reader stops. A reader that blocks the event loop cannot
 * be interrupted by a timer, so it checks the clock itself, every {@link STEPS_PER_CHECK} steps, and throws
 * {@link ReadingTimeUp} once the time has passed: what it has not read is then reported unread.
 */
export class ReadingDeadline {
  private steps = 0;
  /** True once a check found the deadline passed: a reader that swallowed the throw still knows. */
  expired = false;

  constructor(readonly at: number = Number.POSITIVE_INFINITY) {}

  /** One step of work; throws {@link ReadingTimeUp} once the deadline has passed. */
  step(): void {
    if (++this.steps % STEPS_PER_CHECK === 0) this.check();
  }

  /** Throws {@link ReadingTimeUp} when the deadline has passed. */
  check(): void {
    if (!this.passed()) return;
    this.expired = true;
    throw new ReadingTimeUp();
  }

  passed(): boolean {
    return this.at !== Number.POSITIVE_INFINITY && Date.now() >= this.at;
  }
}

/** Thrown by {@link ReadingDeadline}; its message is {@link TIME_RAN_OUT}. */
export class ReadingTimeUp extends Error {
  constructor() {
    super(TIME_RAN_OUT);
    this.name = 'ReadingTimeUp';
  }
}

/** No deadline: readers called without one never stop for time. */
export const NO_DEADLINE = new ReadingDeadline();
