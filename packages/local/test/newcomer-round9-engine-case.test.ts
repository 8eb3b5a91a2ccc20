import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collect, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 9: `--engine SES` (as AWS writes the service's name) was refused, `--engine: workmail or ses`, by
// init, create-wmflow, event, serve and replay, where `--direction inbound` is taken in any case.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-engine-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('init takes --engine SES and --engine=WorkMail', async () => {
  const ses = await wmflow(['init', join(dir, 'ses'), '--engine', 'SES']);
  expect(ses.stderr).not.toContain('workmail or ses');
  expect(ses.code).toBe(0);
  expect(existsSync(join(dir, 'ses', 'src', 'rules.ts'))).toBe(true);
  const wm = await wmflow(['init', join(dir, 'wm'), '--engine=WorkMail']);
  expect(wm.code).toBe(0);
  expect(existsSync(join(dir, 'wm', 'src', 'rules.ts'))).toBe(false);
}, 60_000);

it('create-wmflow takes --engine SES', async () => {
  const run = await collect(
    process.execPath,
    [
      '--conditions=wmflow-source',
      '--import',
      'tsx',
      'packages/create-wmflow/bin.js',
      join(dir, 'created'),
      '--engine',
      'Ses',
    ],
    { cwd: ROOT, env: process.env },
  );
  expect(run.stderr).not.toContain('workmail or ses');
  expect(run.code).toBe(0);
  expect(existsSync(join(dir, 'created', 'src', 'rules.ts'))).toBe(true);
}, 60_000);

it('event and replay take --engine SES', async () => {
  const event = await wmflow(['event', 'samples/eml/01-plain-text.eml', '--engine', 'SES']);
  expect(event.code).toBe(0);
  expect(JSON.parse(event.stdout)).toHaveProperty('Records');
  const replay = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--engine=SES',
    '--handler',
    'samples/lambdas/wire-transfer-blocker-ses.ts',
    '--json',
  ]);
  expect(replay.stderr).not.toContain('workmail or ses');
  expect(replay.code).toBe(0);
  expect(replay.stdout).toContain('"file"');
}, 90_000);

it('still refuses an engine it does not know', async () => {
  const run = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--engine',
    'SESv2',
    '--function',
    'guard',
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--engine: workmail or ses');
}, 60_000);
