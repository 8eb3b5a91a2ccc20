import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 7: an expectation named after the whole file name, `02-newsletter.eml.expect.json` (the sidecar is
// `02-newsletter.expect.json`), was not read: `--check` passed, exit 0, with a note that 1 message was not checked
// and no word of the file beside it, so the expectation the newcomer wrote checked nothing.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-misnamed-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-plain.eml'));
  await writeFile(join(dir, '01-plain.eml.expect.json'), JSON.stringify({ verdicts: { '*': 'DROP' } }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses an expectation named with the .eml, naming the name it must have', async () => {
  const run = await wmflow([
    'replay',
    dir,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--check',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: ${join(dir, '01-plain.eml.expect.json')}: not read: the expectation of 01-plain.eml is ` +
      '01-plain.expect.json (the name without .eml): rename it\n',
  );
});
