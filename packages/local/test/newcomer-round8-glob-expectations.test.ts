import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 8: `wmflow replay mail/* --check` (the shell expands the glob to every file, the expectations
// beside the messages included) replayed each `.expect.json` as a message: `RuleError: … message source answered
// bytes no message begins with ("{ \"verdicts\"…): not the message`, exit 1, one error line per expectation. An
// expectation named on the command line is now read as the expectation it is, not replayed.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r8-glob-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-plain.eml'));
  await writeFile(join(dir, '01-plain.expect.json'), JSON.stringify({ verdicts: { '*': 'DEFAULT' } }));
  await writeFile(join(dir, 'wmflow.expect.json'), JSON.stringify({ fixtures: {} }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HANDLER = 'samples/lambdas/wire-transfer-blocker.ts';

it('replays the messages of mail/* and checks them, passing the expectation files over', async () => {
  const files = ['01-plain.eml', '01-plain.expect.json', 'wmflow.expect.json'].map((f) => join(dir, f));
  const run = await wmflow(['replay', ...files, '--handler', HANDLER, '--check', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.map((l) => l.file)).toEqual([join(dir, '01-plain.eml')]);
  expect(lines[0]?.check).toMatchObject({ ok: true });
}, 60_000);

it('refuses an expectation given alone, naming its message', async () => {
  const sidecar = join(dir, '01-plain.expect.json');
  const run = await wmflow(['replay', sidecar, '--handler', HANDLER, '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: cannot load ${sidecar}: an expectation, not a message: give the message beside it (${join(dir, '01-plain')}.eml) or the folder\n`,
  );
}, 60_000);

// `--expect mail/01-lunch.expect.json` (a sidecar given as a manifest) said only what a manifest is.
it('says a sidecar given to --expect is read without it', async () => {
  const sidecar = join(dir, '01-plain.expect.json');
  const run = await wmflow(['replay', dir, '--handler', HANDLER, '--expect', sidecar, '--check', '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: ${sidecar}: a manifest is { "fixtures": { "<file>": { … } } }; ` +
      'an expectation beside its message (01-plain.expect.json for 01-plain.eml) is read without --expect: drop --expect\n',
  );
}, 60_000);
