import { spawn } from 'node:child_process';
import type { BacktestSummary } from '../src/backtest/tally.js';
import type { BacktestLine } from '../src/backtest/types.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;

/** Runs `wmflow <args>` from source in the repository root, with extra environment variables. */
export function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=wmflow-source', '--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The message lines and the summary line of a backtest's stdout. */
export function parseBacktest(stdout: string): { lines: BacktestLine[]; summary: BacktestSummary } {
  const all = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as BacktestLine | BacktestSummary);
  const summary = all.at(-1);
  if (summary?.type !== 'summary') throw new Error(`no summary line last in:\n${stdout.slice(-500)}`);
  return { lines: all.slice(0, -1) as BacktestLine[], summary };
}

/** A line without what varies between runs (timings). */
export function stable(line: BacktestLine): Omit<BacktestLine, 'durationMs'> {
  const { durationMs: _, ...rest } = line;
  return rest;
}
