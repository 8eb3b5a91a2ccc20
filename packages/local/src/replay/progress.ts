import { shownText } from '../shown-text.js';

/**
 * Progress of a long run on stderr: a line rewritten in place on a terminal,
 * else one line per 10 % (and at the end).
 *
 * @example
 * ```ts
 * const progress = new Progress(1000, (t) => process.stderr.write(t), { enabled: true, tty: false });
 * progress.tick('a.eml');
 * progress.done();
 * ```
 */
export class Progress {
  private count = 0;
  private readonly started = performance.now();
  private lastTty = 0;

  constructor(
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly options: { enabled: boolean; tty: boolean },
  ) {}

  tick(file: string): void {
    this.count++;
    if (!this.options.enabled) return;
    const now = performance.now();
    if (this.options.tty) {
      if (now - this.lastTty < 100 && this.count < this.total) return;
      this.lastTty = now;
      this.write(`\r\x1b[K${this.line()} ${shownText(file.slice(-40))}`);
    } else if (this.count === this.total || this.count % Math.max(1, Math.ceil(this.total / 10)) === 0) {
      this.write(`${this.line()}\n`);
    }
  }

  done(): void {
    if (this.options.enabled && this.options.tty) this.write('\r\x1b[K');
  }

  private line(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? (this.count / seconds).toFixed(0) : '-';
    return `replayed ${this.count}/${this.total} (${rate} msg/s)`;
  }
}
