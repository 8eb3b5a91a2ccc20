import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

describe('backtest: progress bar', () => {
  it('shows count and rate while the total is unknown, then a bar and an ETA', () => {
    const bar = new ProgressBar(() => {}, { tty: true });
    bar.tick();
    expect(bar.line()).toMatch(/^backtested 1 \(listing…\) {2}[\d.]+ msg\/s$/);
    bar.total = 4;
    bar.tick();
    expect(bar.line()).toMatch(/^\[#{10}\.{10}\] 2\/4 {2}[\d.]+ msg\/s {2}ETA (\d+s|\d+m\d\ds|\?)$/);
  });

  it('writes one line per 10 % when stderr is not a terminal', () => {
    const out: string[] = [];
    const bar = new ProgressBar((t) => out.push(t), { tty: false });
    bar.total = 20;
    for (let i = 0; i < 20; i++) bar.tick();
    bar.done();
    expect(out.length).toBe(10);
    expect(out.at(-1)).toMatch(/^\[#{20}\] 20\/20 /);
  });
});
