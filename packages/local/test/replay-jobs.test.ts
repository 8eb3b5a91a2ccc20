import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, FROM_SOURCE, jsonLines, ROOT, wmflow } from './replay-helpers.js';

// What differs between two runs of the same replay, whatever the worker count: timings and generated ids.
function comparable(stdout: string): string[] {
  return jsonLines(stdout).map((line) => {
    const { durationMs: _ms, messageId: id, ...rest } = line;
    // Ids (the message's own wherever it is named, as in a held message's record key), and the random attempt
    // suffix of an update's key (`<invocationId>-<attempt>`).
    const text =
      typeof id === 'string' && id !== ''
        ? JSON.stringify(rest).replaceAll(id, '<id>')
        : JSON.stringify(rest);
    return text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{32}|(?<=<id>|[0-9a-f])-[0-9a-f]{12}\b/g, '<id>');
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-replay-jobs-'));
  // A handler that fails on some messages and answers the rest, so exit codes and error lines are compared too.
  await writeFile(
    join(dir, 'picky.mjs'),
    `export const handler = async (event) => {
  if (/invoice|card/i.test(event.subject)) throw new Error('picky: ' + event.subject);
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wmflow replay -j N', () => {
  it('guard with expectations: -j 2 prints the same JSON lines, in the same order, and exits as -j 1', async () => {
    const args = [
      'replay',
      '--function',
      'guard',
      '--env-file',
      'samples/expect/env.json',
      '--expect',
      'samples/expect/guard.expect.json',
      '--check',
      '--json',
    ];
    const one = await wmflow([...args, '-j', '1']);
    const two = await wmflow([...args, '-j', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(one.code);
    const lines = comparable(one.stdout);
    expect(lines.length).toBeGreaterThan(5);
    expect(comparable(two.stdout)).toEqual(lines);
    expect(two.stderr).toBe(one.stderr);
  }, 240_000);

  it('a handler that fails on some messages: same error lines, same order, exit 1 both ways', async () => {
    const args = ['replay', 'samples/eml', '--handler', join(dir, 'picky.mjs'), '--json'];
    const one = await wmflow([...args, '-j', '1']);
    const two = await wmflow([...args, '--jobs', '3']);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const lines = comparable(one.stdout);
    expect(lines.filter((l) => l.includes('picky: ')).length).toBeGreaterThan(1);
    expect(comparable(two.stdout)).toEqual(lines);
  }, 240_000);

  it('the table (not JSON) is the same too, apart from timings', async () => {
    const args = ['replay', 'samples/eml', '--function', 'archiver', '--env-file', 'samples/expect/env.json'];
    const one = await wmflow([...args, '-j', '1']);
    const two = await wmflow([...args, '-j', '2']);
    const table = (s: string) =>
      s.replace(/\d+(\.\d+)? ?m?s\b/g, '<t>').replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{32}/g, '<id>');
    expect(two.code).toBe(one.code);
    expect(table(two.stdout)).toBe(table(one.stdout));
  }, 240_000);

  it('--engine ses: the same lines and exit code at -j 2', async () => {
    const args = [
      'replay',
      'samples/eml',
      '--function',
      'guard-ses',
      '--engine',
      'ses',
      '--env-file',
      'samples/expect/env.json',
      '--json',
    ];
    const one = await wmflow([...args, '-j', '1']);
    const two = await wmflow([...args, '-j', '2']);
    expect(two.code).toBe(one.code);
    expect(comparable(one.stdout).length).toBeGreaterThan(5);
    expect(comparable(two.stdout)).toEqual(comparable(one.stdout));
  }, 240_000);

  it('refuses, with N > 1, what needs every message in one process', async () => {
    const run = await wmflow(['replay', 'samples/eml', '--function', 'guard', '-j', '2', '--out', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('-j 2: --out needs every message in one process');
    const bad = await wmflow(['replay', 'samples/eml', '--function', 'guard', '-j', '0']);
    expect(bad.stderr).toContain('-j/--jobs: 1..256');
  }, 120_000);

  it('a handler that ends the process: the run ends at that message, with the same lines and exit code at -j 1 and -j 2', async () => {
    const exiting = join(dir, 'exiting.mjs');
    await writeFile(
      exiting,
      `export const handler = async (event) => {
  if (/invoice/i.test(event.subject)) process.exit(0);
  if (/card/i.test(event.subject)) process.exit(3);
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
    );
    const only = (file: string) => ['replay', 'samples/eml/01-plain-text.eml', `samples/eml/${file}`];
    // exit(0) still fails the run (not 0 with lines missing); another code is kept.
    for (const [files, code] of [
      [only('03-invoice-attachments.eml'), 1],
      [['replay', 'samples/eml'], 1],
      [only('06-outbound-card-numbers.eml'), 3],
    ] as const) {
      const args = [...files, '--handler', exiting, '--json'];
      const one = await wmflow([...args, '-j', '1']);
      const two = await wmflow([...args, '-j', '2']);
      expect(one.code).toBe(code);
      expect(two.code).toBe(code);
      expect(one.stderr).toMatch(
        /the process ended \(exit code \d\) while replaying samples\/eml\/\S+\.eml: \d+ of \d+ message\(s\) reported/,
      );
      expect(two.stderr).toMatch(
        /a replay worker process ended \(exit code \d\) while replaying samples\/eml\/\S+\.eml: \d+ of \d+ message\(s\) reported/,
      );
      expect(comparable(one.stdout).length).toBeGreaterThan(0);
      expect(comparable(two.stdout)).toEqual(comparable(one.stdout));
    }
  }, 240_000);

  it('forks its workers before loading the local stack, the handler or the AWS SDK, which only workers load', async () => {
    // A module-resolution hook logs what each process loads, one file per process id; workers inherit it.
    await writeFile(
      join(dir, 'load-log-hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.WMFLOW_LOAD_LOG + '.' + process.pid, result.url + '\\n');
  return result;
}\n`,
    );
    await writeFile(
      join(dir, 'load-log.mjs'),
      `import { register } from 'node:module';\nregister('./load-log-hooks.mjs', import.meta.url);\n`,
    );
    const [main, ...nodeFlags] = [FROM_SOURCE.at(-1) as string, ...FROM_SOURCE.slice(0, -1)];
    const cli = [...nodeFlags, '--import', join(dir, 'load-log.mjs'), main];
    const replay = ['replay', 'samples/eml/01-plain-text.eml', '--function', 'guard', '--json', '-j', '2'];
    const run = await collect(process.execPath, [...cli, ...replay], {
      cwd: ROOT,
      env: { ...process.env, WMFLOW_LOAD_LOG: join(dir, 'loaded') },
    });
    expect(run.code, run.stderr).toBe(0);
    const logs = await Promise.all(
      (await readdir(dir)).filter((f) => f.startsWith('loaded.')).map((f) => readFile(join(dir, f), 'utf8')),
    );
    const workers = logs.filter((log) => log.includes('/cli/replay-worker.ts'));
    const parent = logs.filter((log) => !log.includes('/cli/replay-worker.ts'));
    expect(workers).toHaveLength(2);
    expect(parent).toHaveLength(1);
    const heavy =
      /\/src\/stack\.ts|\/replay\/handler\.ts|\/replay\/runner\.ts|@aws-sdk\/|\/s3rver\/|\/dynalite\//;
    // The control: the log sees what a worker loads.
    for (const log of workers) expect(log).toMatch(heavy);
    expect(parent[0]).toContain('/cli/replay-parallel.ts');
    expect(parent[0]?.split('\n').filter((url) => heavy.test(url))).toEqual([]);
  }, 240_000);
});
