import { spawn } from 'node:child_process';

export const ROOT = new URL('../../../', import.meta.url).pathname;
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
/** Node's arguments that run the CLI from source; the command's own follow. */
export const FROM_SOURCE = ['--conditions=wmflow-source', '--import', 'tsx', MAIN];

/** Exit code and output of a finished child process. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to completion, collecting its output. */
export function collect(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Runs `wmflow <args>` from source in the repository root (extra environment variables in `env`); resolves with its exit code and output. */
export function wmflow(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return collect(process.execPath, [...FROM_SOURCE, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

/** The JSON lines of a `--json` run. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What a run said: each stdout line parsed, without what varies between runs (timings, message ids); a line that is no JSON stays as its text. */
export function saidWithoutTimings(run: { code: number | null; stdout: string }): {
  code: number | null;
  lines: (Record<string, unknown> | string)[];
} {
  const lines = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        const { durationMs: _d, ms: _m, messageId: _i, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return rest;
      } catch {
        return l;
      }
    });
  return { code: run.code, lines };
}

/** A run that may have been cut short: `hung` when it was killed for running past its limit. */
export interface LimitedRun extends Run {
  hung: boolean;
}

/**
 * Runs `wmflow <args>` from source (extra environment variables in `env`), killed with its process group if it has
 * not ended after `netMs`: a command that hangs fails its test (`hung`) instead of holding the test run.
 */
export function wmflowWithin(
  args: string[],
  env: Record<string, string> = {},
  netMs = 60_000,
): Promise<LimitedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FROM_SOURCE, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const net = setTimeout(() => {
      hung = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {}
    }, netMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(net);
      resolve({ code, stdout, stderr, hung });
    });
  });
}
