import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, jsonLines, ROOT, type Run } from './replay-helpers.js';

// Fault round 55: `wmflow replay -j N` when a worker process ends on its own or is killed from outside. The run
// must say so as one process would: the lines before that message in file order, none from it on, and the exit code
// of `-j 1`, never a missing line with exit 0.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r55-exit-'));
  for (const code of [0, 3])
    await writeFile(
      join(dir, `exit-at-import-${code}.mjs`),
      `process.exit(${code});
export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
    );
  // Throws from a timer while replaying the invoice: the process ends with code 1.
  await writeFile(
    join(dir, 'timer-throw.mjs'),
    `export const handler = async (event) => {
  if (/invoice/i.test(event.subject)) {
    setTimeout(() => { throw new Error('thrown from a timer'); }, 0);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
  // Tells its process id on the invoice, then stays on it until killed.
  await writeFile(
    join(dir, 'stays.mjs'),
    `import { writeFileSync } from 'node:fs';
export const handler = async (event) => {
  if (/invoice/i.test(event.subject)) {
    writeFileSync(process.env.R55_PID_FILE, String(process.pid));
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `wmflow <args>`; `during` runs while it does (e.g. kills one of its workers). */
function wmflowWhile(
  args: string[],
  env: Record<string, string>,
  during?: () => Promise<void>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FROM_SOURCE, ...args], {
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
    during?.().catch((error: unknown) => {
      child.kill('SIGKILL');
      reject(error);
    });
  });
}

const FILES = [
  '01-plain-text',
  '02-html-newsletter',
  '03-invoice-attachments',
  '04-ses-spam-virus',
  '05-ceo-impersonation',
].map((f) => `samples/eml/${f}.eml`);

describe('fault round 55: replay -j 2 when a worker process ends', () => {
  it('a handler module that exits at import: -j 2 ends with the exit code and the lines of -j 1', async () => {
    for (const [code, expected] of [
      [3, 3],
      [0, 1],
    ] as const) {
      const args = ['replay', ...FILES, '--handler', join(dir, `exit-at-import-${code}.mjs`), '--json'];
      const one = await wmflowWhile([...args, '-j', '1'], {});
      const two = await wmflowWhile([...args, '-j', '2'], {});
      expect(one.code).toBe(expected);
      expect(two.code).toBe(one.code);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toContain(
        `(exit code ${code}) while replaying samples/eml/01-plain-text.eml: 0 of 5`,
      );
    }
  }, 120_000);

  it('in table mode too: no title from -j 2 for a handler that never loaded, as from -j 1', async () => {
    const args = ['replay', ...FILES, '--handler', join(dir, 'exit-at-import-3.mjs')];
    const one = await wmflowWhile([...args, '-j', '1'], {});
    const two = await wmflowWhile([...args, '-j', '2'], {});
    expect(one.code).toBe(3);
    expect(two.code).toBe(3);
    expect(one.stdout).toBe('');
    expect(two.stdout).toBe(one.stdout);
  }, 120_000);

  it("a handler's error thrown from a timer: the same lines, in order, and exit code at -j 1 and -j 2", async () => {
    const args = ['replay', ...FILES, '--handler', join(dir, 'timer-throw.mjs'), '--json'];
    const one = await wmflowWhile([...args, '-j', '1'], {});
    const two = await wmflowWhile([...args, '-j', '2'], {});
    const lines = (r: Run) => jsonLines(r.stdout).map((l) => [l.file, l.error ?? null]);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(lines(one)).toEqual([
      [FILES[0], null],
      [FILES[1], null],
    ]);
    expect(lines(two)).toEqual(lines(one));
    expect(two.stderr).toContain(`(exit code 1) while replaying ${FILES[2]}: 2 of 5 message(s) reported`);
  }, 120_000);

  it('a worker killed (SIGKILL) from outside mid-message: the lines before it, none from it on, exit 1', async () => {
    const pidFile = join(dir, 'pid');
    const run = await wmflowWhile(
      ['replay', ...FILES, '--handler', join(dir, 'stays.mjs'), '--json', '-j', '2'],
      { R55_PID_FILE: pidFile },
      async () => {
        for (let i = 0; i < 600; i++) {
          const pid = await readFile(pidFile, 'utf8').catch(() => '');
          if (pid !== '') {
            process.kill(Number(pid), 'SIGKILL');
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('the worker never reached the invoice');
      },
    );
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout).map((l) => [l.file, l.error ?? null])).toEqual([
      [FILES[0], null],
      [FILES[1], null],
    ]);
    expect(run.stderr).toContain(
      `a replay worker process ended (exit code null) while replaying ${FILES[2]}: 2 of 5 message(s) reported`,
    );
  }, 120_000);
});
