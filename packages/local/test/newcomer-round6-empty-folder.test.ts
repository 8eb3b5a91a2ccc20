import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 6: `npm test` of a project (`wmflow replay mail --handler src/handler.ts --check`) whose mail/
// folder held no message (emptied, or its messages saved as .eml.bak, or a typo'd folder made by a script) printed
// an empty table and "0 message(s)" and exited 0: a CI gate that had checked nothing passed.
const HANDLER = join(ROOT, 'samples/lambdas/wire-transfer-blocker.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r6-empty-'));
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'other/sub'), { recursive: true });
  await writeFile(join(dir, 'other/sub/notes.pdf'), 'not a message');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('replay --check of a folder with no message file fails and says what it looked for', async () => {
  const run = await wmflow(['replay', join(dir, 'empty'), '--handler', HANDLER, '--check']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`${join(dir, 'empty')}: no message file in it (.eml, .msg, .txt, .mime`);
});

it('so does a replay without --check, and a folder holding other files only', async () => {
  const run = await wmflow(['replay', join(dir, 'other'), '--handler', HANDLER, '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('no message file in it');
});

it('serve --load of such a folder is refused the same way', async () => {
  const run = await wmflow(['serve', '--load', join(dir, 'empty')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('no message file in it');
});
