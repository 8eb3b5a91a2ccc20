import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 8: `wmflow replay out/s3/journal/journal` (the journal a replay's --out wrote, or an `aws s3 sync` of
// it) was refused as `no message file in it (.eml, .msg, .txt, .mime …)`: the messages are there, named by id with no
// extension beside their `.json`, and nothing said that a journal is what `wmflow backtest` reads.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r8-journal-'));
  const day = join(dir, 'journal', 'inbound', '2026', '12', '07');
  await mkdir(day, { recursive: true });
  await writeFile(
    join(day, 'c0ffee'),
    'From: a@outside.example\r\nTo: b@corp.example\r\nSubject: x\r\n\r\nhi\r\n',
  );
  await writeFile(join(day, 'c0ffee.json'), '{}');
  await mkdir(join(dir, 'empty'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says a journal is backtested, not replayed', async () => {
  const journal = join(dir, 'journal');
  const run = await wmflow([
    'replay',
    journal,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: cannot load ${journal}: no message file in it (.eml, .msg, .txt, .mime, searched recursively); ` +
      `it holds a journal (<id> beside <id>.json, as journalToS3 writes it): wmflow backtest ${journal} --handler … replays it\n`,
  );
}, 60_000);

it('says no more of a folder that holds nothing', async () => {
  const empty = join(dir, 'empty');
  const run = await wmflow([
    'replay',
    empty,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    `wmflow replay: cannot load ${empty}: no message file in it (.eml, .msg, .txt, .mime, searched recursively)\n`,
  );
}, 60_000);
