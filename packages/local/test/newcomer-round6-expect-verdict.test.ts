import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 6: the replay table shows MOVE_TO_JUNK as `JUNK`, so the expectation a newcomer wrote for the
// newsletter was `{ "verdicts": { "*": "JUNK" } }`; a misspelt `"BOUNCED"` or `"DEFUALT"` likewise. Unknown fields
// of an expectation are refused when it is read, but a verdict no handler can give was taken, and the check only
// ever failed ("expected \"JUNK\", got \"MOVE_TO_JUNK\""), as if the handler were wrong.
const HANDLER = join(ROOT, 'samples/lambdas/junk-external-newsletters.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r6-verdict-'));
  await copyFile(join(ROOT, 'samples/eml/02-html-newsletter.eml'), join(dir, 'news.eml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const check = async (verdict: string) => {
  await writeFile(join(dir, 'news.expect.json'), JSON.stringify({ verdicts: { '*': verdict } }));
  return wmflow(['replay', dir, '--handler', HANDLER, '--check']);
};

it('refuses the table’s short name and says the verdict it stands for', async () => {
  const run = await check('JUNK');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `${join(dir, 'news.expect.json')}: verdicts["*"]: "JUNK" is no verdict: write "MOVE_TO_JUNK"`,
  );
});

it('refuses a misspelt verdict, naming the verdicts there are', async () => {
  const run = await check('BOUNCED');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('verdicts["*"]: "BOUNCED" is no verdict (DEFAULT, DROP, MOVE_TO_JUNK');
});

it('takes every verdict WorkMail has, and BOUNCE with or without its message', async () => {
  const met = await check('MOVE_TO_JUNK');
  expect(met.code, met.stdout + met.stderr).toBe(0);
  for (const verdict of ['BYPASS_SPAM_CHECK', 'BOUNCE:Not here.']) {
    const run = await check(verdict);
    expect(run.stderr).not.toContain('is no verdict');
    expect(run.stdout).toContain('expectations 0/1 met');
  }
});
