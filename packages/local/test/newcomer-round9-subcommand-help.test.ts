import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 9: `wmflow backtest --help` printed the usage of every command, and backtest's lines lacked the
// options docs/backtest.md gives it (--env-file, --org-domain, --region, …), so a mistyped `--env-fiel` was told
// `wmflow --help lists the options`, which did not list it; replay's --region was missing too.
it('a command --help prints that command, with every option it takes', async () => {
  const run = await wmflow(['backtest', '--help']);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/^usage: wmflow backtest /);
  expect(run.stderr).not.toContain('quarantine list');
  for (const option of [
    '--env-file',
    '--env-vars',
    '--env KEY=VALUE',
    '--org-domain',
    '--built',
    '--sync',
    '--async',
    '--timeout',
    '--fallback',
    '--region',
    '--progress',
    '--logs',
    '--request-timeout',
  ])
    expect(run.stderr, option).toContain(option);
  expect(run.stderr).toContain('wmflow --help lists every command');
}, 60_000);

it('replay --help names --region, bundle --help its options only', async () => {
  const replay = await wmflow(['replay', '-h']);
  expect(replay.code).toBe(0);
  expect(replay.stderr).toMatch(/^usage: wmflow replay /);
  expect(replay.stderr).toContain('--region');
  const bundle = await wmflow(['bundle', '--help']);
  expect(bundle.code).toBe(0);
  expect(bundle.stderr).toMatch(/^usage: wmflow bundle <handler\.ts> \[--out DIR\]/);
  expect(bundle.stderr).not.toContain('--env-file');
}, 60_000);

it('a mistyped backtest option is matched against backtest own options', async () => {
  const run = await wmflow(['backtest', 'samples/eml', '--function', 'guard', '--env-fiel', 'env.json']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('unknown option --env-fiel (did you mean --env-file?');
}, 60_000);
