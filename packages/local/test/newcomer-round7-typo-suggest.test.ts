import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 7: a mistyped option (`--chekc`, `--againts`, `--engin`) or command (`wmflow repaly`) was named,
// but the one meant was not: the newcomer had to read the whole usage to find it, while a rule's mistyped option
// (`blockSenders({ verdcit })`) says `did you mean verdict?`. The CLI now says the nearest of the command's options.

it('names the option of the command a mistyped one is nearest to', async () => {
  const run = await wmflow(['replay', 'samples/eml', '--function', 'guard', '--chekc']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'wmflow replay: unknown option --chekc (did you mean --check? wmflow --help lists the options)\n',
  );
  const backtest = await wmflow(['backtest', 'out', '--function', 'guard', '--againts', 'recorded']);
  expect(backtest.stderr).toBe(
    'wmflow backtest: unknown option --againts (did you mean --against? wmflow --help lists the options)\n',
  );
}, 60_000);

it('says nothing more when no option is near', async () => {
  const run = await wmflow(['replay', 'samples/eml', '--function', 'guard', '--verbose-output']);
  expect(run.stderr).toBe(
    'wmflow replay: unknown option --verbose-output (wmflow --help lists the options)\n',
  );
}, 60_000);

it('names the command a mistyped one is nearest to', async () => {
  const run = await wmflow(['repaly', 'samples/eml']);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')[0]).toBe('wmflow: unknown command "repaly" (did you mean replay?)');
}, 60_000);
