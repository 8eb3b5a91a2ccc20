import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 10 (left open by round 9): a misspelt setting in `--env-file` (`JOURNAL_BUKET`) was passed to the
// handler unremarked. own-lambda.md's handler then failed to load with `ConfigError: invalid configuration bucket: is
// empty: name the bucket (an environment variable it is read from is not set?)`, the file's variable never named; a
// prebuilt function took the local default for the variable it read and journaled to a bucket nobody named. Replay now
// watches which variables the handler reads as it loads, and names a given one it did not read beside the one it read.
let dir: string;
let handler: string;
beforeAll(async () => {
  dir = await mkdtemp(join(ROOT, 'packages/local/test/fixtures/.newcomer-r10-env-'));
  // own-lambda.md's handler that edits and journals, as the page gives it.
  const doc = readFileSync(join(ROOT, 'docs/own-lambda.md'), 'utf8');
  const block = (doc.match(/```ts\n[\s\S]*?```/g) ?? []).find((b) =>
    b.includes('journalToS3({ bucket: process'),
  );
  if (!block) throw new Error('own-lambda.md: the example is gone');
  handler = join(dir, 'handler.ts');
  await writeFile(handler, block.slice('```ts\n'.length, -'```'.length));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function envFile(name: string, variables: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ Parameters: variables }));
  return relative(ROOT, path);
}

it('a handler that does not load names the misspelt variable of the env file and the one it read', async () => {
  const file = await envFile('typo.json', { UPDATES_BUCKET: 'updates', JOURNAL_BUKET: 'journal' });
  const run = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--handler',
    relative(ROOT, handler),
    '--env-file',
    file,
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('ConfigError: invalid configuration bucket: is empty');
  expect(run.stderr).toMatch(
    /JOURNAL_BUKET \(from .*typo\.json\) was not read as the handler loaded; it read JOURNAL_BUCKET, which is not set: misspelt\?/,
  );
}, 90_000);

it('a misspelt --env is named too, and a lower-case spelling', async () => {
  const run = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--handler',
    relative(ROOT, handler),
    '--env',
    'UPDATES_BUCKET=updates',
    '--env',
    'journal_bucket=journal',
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /journal_bucket \(from --env\) was not read as the handler loaded; it read JOURNAL_BUCKET/,
  );
}, 90_000);

it('a prebuilt function that took a local default for the variable it read says which given one it passed over', async () => {
  const run = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--function',
    'archiver',
    '--env',
    'JOURNAL_BUKET=corp-journal',
    '--json',
  ]);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(
    /JOURNAL_BUKET \(from --env\) was not read as the function loaded; it read JOURNAL_BUCKET, which is the local default wmflow-local-journal: misspelt\?/,
  );
}, 90_000);

it('control: settings spelt right, and one the handler has no near name for, are not remarked on', async () => {
  const file = await envFile('right.json', {
    UPDATES_BUCKET: 'updates',
    JOURNAL_BUCKET: 'journal',
    TEAM_NAME: 'mail-ops',
  });
  const run = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--handler',
    relative(ROOT, handler),
    '--env-file',
    file,
    '--json',
  ]);
  expect(run.stderr).not.toContain('misspelt');
  expect(run.code).toBe(0);
  const [line] = jsonLines(run.stdout) as { rulesFired: string[]; journaled: string[] }[];
  expect(line?.rulesFired).toEqual(['journal-to-s3', 'tag-external']);
  expect(line?.journaled).toHaveLength(2);
  const archiver = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--function',
    'archiver',
    '--env',
    'JOURNAL_BUCKET=corp-journal',
    '--json',
  ]);
  expect(archiver.code).toBe(0);
  expect(archiver.stderr).not.toContain('misspelt');
}, 90_000);

it('backtest names the misspelt variable too', async () => {
  const mail = join(dir, 'mail');
  await mkdir(mail, { recursive: true });
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(mail, '01.eml'));
  const file = await envFile('typo-backtest.json', { UPDATES_BUCKET: 'updates', JOURNAL_BUKET: 'journal' });
  const run = await wmflow([
    'backtest',
    relative(ROOT, mail),
    '--handler',
    relative(ROOT, handler),
    '--env-file',
    file,
    '-j',
    '1',
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /JOURNAL_BUKET \(from .*typo-backtest\.json\) was not read as the handler loaded; it read JOURNAL_BUCKET, which is not set: misspelt\?/,
  );
  const right = await envFile('right-backtest.json', {
    UPDATES_BUCKET: 'updates',
    JOURNAL_BUCKET: 'journal',
  });
  const control = await wmflow([
    'backtest',
    relative(ROOT, mail),
    '--handler',
    relative(ROOT, handler),
    '--env-file',
    right,
    '-j',
    '1',
  ]);
  expect(control.stderr).not.toContain('misspelt');
  expect(control.code).toBe(0);
  const lines = jsonLines(control.stdout) as { type: string; candidate?: { rulesFired: string[] } }[];
  expect(lines.find((l) => l.type === 'message')?.candidate?.rulesFired).toEqual([
    'journal-to-s3',
    'tag-external',
  ]);
}, 120_000);
