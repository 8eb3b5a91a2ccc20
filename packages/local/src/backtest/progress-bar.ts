/**
 * A progress bar on stderr for long backtests: bar, count, rate and ETA,
 * redrawn at most 10 times a second on a terminal; one line per 10 % otherwise.
 * The total may be unknown at first (a listing still running): no bar nor ETA until it is.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar((t) => process.stderr.write(t), { tty: true });
 * bar.total = 1000;
 * bar.tick();
 * bar.done();
 * ```
 */
export class ProgressBar {
  total: number | undefined;
  private count = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: { tty: boolean; skipped?: number },
  ) {}

  tick(): void {
    this.count++;
    const now = performance.now();
    if (this.options.tty) {
      if (now - this.lastDraw < 100 && this.count !== this.total) return;
      this.lastDraw = now;
      this.write(`\r\x1b[K${this.line(now)}`);
    } else if (this.total !== undefined) {
      const step = Math.max(1, Math.ceil(this.total / 10));
      if (this.count % step === 0 || this.count === this.total) this.write(`${this.line(now)}\n`);
    }
  }

  done(): void {
    if (this.options.tty) this.write('\r\x1b[K');
  }

  /** E.g. `[#########...........] 450/1000  37.5 msg/s  ETA 15s`. */
  line(now = performance.now()): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.count / seconds : 0;
    const shown = `${rate.toFixed(1)} msg/s`;
    if (this.total === undefined) return `backtested ${this.count} (listing…)  ${shown}`;
    const total = Math.max(this.total, this.count);
    const filled = total > 0 ? Math.round((this.count / total) * 20) : 20;
    const eta = rate > 0 ? formatSeconds((total - this.count) / rate) : '?';
    return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${this.count}/${total}  ${shown}  ETA ${eta}`;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
