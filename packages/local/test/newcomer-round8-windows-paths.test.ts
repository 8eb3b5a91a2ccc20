import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 8: a path copied from a Windows terminal or README (`samples\eml\01-plain-text.eml`,
// `samples\lambdas\wire-transfer-blocker.ts`) on macOS or Linux, where `\` is no folder separator, was refused as
// `no such file or folder`, `no such module`, or esbuild's `Could not resolve "/abs/samples\\lambdas\\…"`: the
// file is there, and nothing said that the separator was the trouble. Each now names the path written with `/`.
const ONE = 'samples\\eml\\01-plain-text.eml';
const HANDLER = 'samples\\lambdas\\wire-transfer-blocker.ts';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r8-paths-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('replay names a message file written with backslashes as written with /', async () => {
  const run = await wmflow([
    'replay',
    ONE,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: cannot load ${ONE}: no such file or folder (samples/eml/01-plain-text.eml exists: folders are separated by / here)\n`,
  );
}, 60_000);

it('replay names a handler module written with backslashes as written with /', async () => {
  const run = await wmflow(['replay', 'samples/eml/01-plain-text.eml', '--handler', HANDLER, '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: --handler: no such module ${HANDLER} (samples/lambdas/wire-transfer-blocker.ts exists: give that)\n`,
  );
}, 60_000);

it('bundle says the module is missing, and which one exists, before esbuild is asked', async () => {
  const out = join(dir, 'b');
  const run = await wmflow(['bundle', HANDLER, '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    `wmflow bundle: no such module ${HANDLER} (samples/lambdas/wire-transfer-blocker.ts exists: give that)\n`,
  );
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('bundle of a module that is not there says so, with the .ts of a .js it names', async () => {
  const out = join(dir, 'c');
  const missing = await wmflow(['bundle', 'samples/lambdas/no-such-lambda.ts', '--out', out]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe('wmflow bundle: no such module samples/lambdas/no-such-lambda.ts\n');
  const js = await wmflow(['bundle', 'samples/lambdas/wire-transfer-blocker.js', '--out', out]);
  expect(js.code).toBe(1);
  expect(js.stderr).toBe(
    'wmflow bundle: no such module samples/lambdas/wire-transfer-blocker.js (samples/lambdas/wire-transfer-blocker.ts exists: give that)\n',
  );
  expect(existsSync(out)).toBe(false);
}, 60_000);
