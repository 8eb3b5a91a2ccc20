import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflowWithin } from './replay-helpers.js';

// Fault round 71: a handler module stuck in a synchronous loop at import. The first workers of `replay -j N` and
// `backtest` waited for its `ready` with no limit (only replacements had one, fault round 69), so the run hung before
// its first message. They now have `--load-timeout`: past it the worker is killed and the run fails, exit 1, naming
// the handler module, with no line for any message (nothing was judged). The tests give a short `--load-timeout` to
// a module that never finishes loading, and a generous one to a sound module (the control); they assert what was
// written. The safety net below only keeps a hang (the old code) from holding the test process.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r71-load-'));
  await writeFile(
    join(dir, 'stuck-at-import.mjs'),
    `for (;;) {}\nexport const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
  );
  await writeFile(
    join(dir, 'sound.mjs'),
    `export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
  );
  await writeFile(
    join(dir, 'journal-m1'),
    'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: hello\r\nMessage-ID: <m1@partner.example>\r\n\r\nhi\r\n',
  );
  await writeFile(
    join(dir, 'journal-m2'),
    'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: again\r\nMessage-ID: <m2@partner.example>\r\n\r\nhi\r\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FILES = ['01-plain-text', '02-html-newsletter'].map((f) => `samples/eml/${f}.eml`);

describe('F71-2: a handler module stuck at import', () => {
  it.each(['2', '3'])(
    'replay -j %s: fails, exit 1, naming the module; no message line',
    async (jobs) => {
      const module = join(dir, 'stuck-at-import.mjs');
      const run = await wmflowWithin([
        'replay',
        ...FILES,
        '--handler',
        module,
        '--json',
        '-j',
        jobs,
        '--load-timeout',
        '3000',
      ]);
      expect(run.hung, 'the run hung').toBe(false);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout.trim()).toBe('');
      expect(run.stderr).toMatch(/did not finish loading within 3000 ms/);
      expect(run.stderr).toContain(module);
    },
    90_000,
  );

  it.each(['1', '2'])(
    'backtest -j %s: fails, exit 1, naming the module; no line, no summary',
    async (jobs) => {
      const module = join(dir, 'stuck-at-import.mjs');
      const run = await wmflowWithin([
        'backtest',
        dir,
        '--handler',
        module,
        '--against',
        'recorded',
        '-j',
        jobs,
        '--load-timeout',
        '3000',
      ]);
      expect(run.hung, 'the run hung').toBe(false);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/did not finish loading within 3000 ms/);
      expect(run.stderr).toContain(module);
      // No message was judged, and nothing says the listing stopped (it did not).
      expect(jsonLines(run.stdout).filter((l) => 'key' in l)).toEqual([]);
      expect(run.stderr).not.toMatch(/listing stopped/);
    },
    90_000,
  );

  it('control: a sound module under a generous --load-timeout replays (-j 2) and backtests (-j 2)', async () => {
    const module = join(dir, 'sound.mjs');
    const replay = await wmflowWithin([
      'replay',
      ...FILES,
      '--handler',
      module,
      '--json',
      '-j',
      '2',
      '--load-timeout',
      '60000',
    ]);
    expect([replay.code, replay.hung], replay.stderr).toEqual([0, false]);
    expect(jsonLines(replay.stdout).map((l) => l.file)).toEqual(FILES);
    const backtest = await wmflowWithin([
      'backtest',
      dir,
      '--handler',
      module,
      '--against',
      'recorded',
      '-j',
      '2',
      '--load-timeout',
      '60000',
    ]);
    expect([backtest.code, backtest.hung], backtest.stderr).toEqual([0, false]);
  }, 120_000);
});
