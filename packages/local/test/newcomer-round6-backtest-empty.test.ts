import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 6: "last month's mail" backtested from a folder (or prefix) that held nothing — a prefix one
// month off, a sync into another folder, folders of days to come — printed a summary of 0 messages and
// nothing on stderr, exit 0, which reads as "the policy changes nothing".
const HANDLER = join(ROOT, 'samples/lambdas/wire-transfer-blocker.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r6-bt-'));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'days/2026/12/31'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says on stderr that the source held no message, the summary alone on stdout', async () => {
  for (const name of ['empty', 'days']) {
    const source = join(dir, name);
    const run = await wmflow(['backtest', source, '--handler', HANDLER, '-j', '1']);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBe(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ type: 'summary', messages: 0 });
    expect(run.stderr).toContain(`wmflow backtest: no message in ${source}: nothing was backtested`);
  }
});
