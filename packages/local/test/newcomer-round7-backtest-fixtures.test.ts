import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 7: `wmflow backtest mail --handler src/handler.ts` on the `mail/` folder of `wmflow init` (its
// messages have no journal metadata, which backtest allows: the envelope is derived) took each `01-lunch.expect.json`
// beside `01-lunch.eml` for the metadata of a missing message `01-lunch.expect`, and wrote a failed line
// `01-lunch.expect.json: not journal metadata (envelope.mailFrom)` for each: three errors in a three-message folder.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-backtest-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-lunch.eml'));
  await writeFile(join(dir, '01-lunch.expect.json'), JSON.stringify({ verdicts: { '*': 'DEFAULT' } }));
  await writeFile(join(dir, 'wmflow.expect.json'), JSON.stringify({ fixtures: {} }));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('backtests the messages of a replay folder, not its expectation files', async () => {
  const run = await wmflow([
    'backtest',
    dir,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--org-domain',
    'example.com',
  ]);
  expect(run.code).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.map((l) => l.key)).toEqual(['01-lunch.eml', undefined]);
  expect(lines.at(-1)).toMatchObject({ type: 'summary', messages: 1 });
  expect(lines.at(-1)).toMatchObject({ candidate: { errors: 0 } });
}, 60_000);

it('still fails the metadata of a journaled message that is missing', async () => {
  const journal = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-orphan-'));
  try {
    await writeFile(join(journal, 'abc.json'), JSON.stringify({ direction: 'INBOUND' }));
    const run = await wmflow(['backtest', journal, '--handler', 'samples/lambdas/wire-transfer-blocker.ts']);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ key: 'abc' });
    expect(lines.at(-1)).toMatchObject({ candidate: { errors: 1 } });
  } finally {
    await rm(journal, { recursive: true, force: true });
  }
}, 60_000);
