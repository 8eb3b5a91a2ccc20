import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 6: an environment file written as a plain map of variables, `{"JOURNAL_BUCKET": "journal",
// "OTHER": "x"}` (not the `{"Parameters": {…}}` of `sam local invoke --env-vars`), was read as two function
// entries, neither of them the handler's, and silently gave no variable: the handler then failed to load with
// `bucket: is empty … (an environment variable it is read from is not set?)`, although the variable was in the
// file. One such variable alone was refused with `"JOURNAL_BUCKET" must be an object of variables`, which did
// not say where variables go.
const ONE = join(ROOT, 'samples/eml/01-plain-text.eml');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r6-env-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses a flat map of variables and says to put them under "Parameters"', async () => {
  const flat = join(dir, 'flat.json');
  await writeFile(flat, JSON.stringify({ UPDATES_BUCKET: 'updates', ORGANIZATION_DOMAINS: 'corp.example' }));
  const run = await wmflow(['replay', ONE, '--function', 'guard', '--env-vars', flat]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`environment file ${flat}: "UPDATES_BUCKET" is a variable`);
  expect(run.stderr).toContain('{"Parameters": {"UPDATES_BUCKET": …}}');
});

it('says the same of a file holding one variable', async () => {
  const one = join(dir, 'one.json');
  await writeFile(one, JSON.stringify({ UPDATES_BUCKET: 'updates' }));
  const run = await wmflow(['replay', ONE, '--function', 'guard', '--env-vars', one]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('"UPDATES_BUCKET" is a variable');
  expect(run.stderr).toContain('"Parameters"');
});

it('still takes the SAM format, with a function entry beside "Parameters"', async () => {
  const sam = join(dir, 'sam.json');
  await writeFile(
    sam,
    JSON.stringify({
      Parameters: { ORGANIZATION_DOMAINS: 'corp.example' },
      GuardFunction: { UPDATES_BUCKET: 'updates' },
    }),
  );
  const run = await wmflow(['replay', ONE, '--function', 'guard', '--env-vars', sam, '--json']);
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ error: null, rulesFired: ['tag-external'] });
});
