import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 7: `wmflow backtest … --function guard --resume results.jsonl`, with a results.jsonl another policy
// wrote (the handler tried before), skipped every message as done and wrote a
// summary of the old lines, the old policy's label and verdicts, exit 0: the guard was never run.
const BLOCKER = 'samples/lambdas/wire-transfer-blocker.ts';
let dir: string;
let journal: string;
let results: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-resume-'));
  journal = join(dir, 'journal');
  await mkdir(journal);
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(journal, 'a'));
  const first = await wmflow(['backtest', journal, '--handler', BLOCKER, '-j', '1']);
  expect(first.code).toBe(0);
  results = join(dir, 'results.jsonl');
  await writeFile(results, first.stdout);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses to resume the lines of another policy', async () => {
  const run = await wmflow(['backtest', journal, '--function', 'guard', '--resume', results, '-j', '1']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow backtest: --resume ${results}: its lines are of ${BLOCKER}#handler, this run is of guard: ` +
      'resume with the policies of the run that wrote it, or write this run to another file without --resume\n',
  );
  expect(await readFile(results, 'utf8')).toContain('"type":"summary"');
}, 60_000);

it('resumes the same policy however its path is written', async () => {
  const run = await wmflow([
    'backtest',
    journal,
    '--handler',
    `./${BLOCKER}#handler`,
    '--resume',
    results,
    '-j',
    '1',
  ]);
  expect(run.code).toBe(0);
  expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', resumed: 1 });
}, 60_000);
