import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 7: `--resume report.html` (the report beside the results) or `--resume` given a message file was
// read as JSON Lines with no message line in it: the run started from scratch, exit 0, nothing said, and with `>>`
// the lines were appended to the report.
let dir: string;
let journal: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-resume-html-'));
  journal = join(dir, 'journal');
  await mkdir(journal);
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(journal, 'a'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses a file that is not the JSON Lines of a backtest', async () => {
  const report = join(dir, 'report.html');
  await writeFile(report, '<!doctype html>\n<html><body>report</body></html>\n');
  const run = await wmflow(['backtest', journal, '--function', 'guard', '--resume', report]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow backtest: --resume ${report}: not the JSON Lines of wmflow backtest (its first line is no JSON object): ` +
      'give the file the earlier run wrote to stdout\n',
  );
}, 60_000);

it('still resumes an empty file, or one cut inside its first line', async () => {
  const empty = join(dir, 'empty.jsonl');
  await writeFile(empty, '');
  expect((await wmflow(['backtest', journal, '--function', 'guard', '--resume', empty])).code).toBe(0);
  const cut = join(dir, 'cut.jsonl');
  await writeFile(cut, '{"type":"message","key":"a","mess');
  expect((await wmflow(['backtest', journal, '--function', 'guard', '--resume', cut])).code).toBe(0);
}, 60_000);
