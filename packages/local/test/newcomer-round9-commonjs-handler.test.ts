import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 9: a handler written in CommonJS (`exports.handler = flow(…)` in handler.cjs, as a project that is
// CommonJS writes it) passed `wmflow replay --check`, and `wmflow bundle` of the same file refused it (`it exports no
// "handler" (exports: default)`): the bundle (an ES module) exported its module.exports as default only. Lambda runs
// CommonJS handlers; the bundle now exports the module's `handler` as index.handler.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(ROOT, 'packages/local/test/fixtures/.newcomer-r9-cjs-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('bundles a CommonJS handler to index.handler, which runs', async () => {
  const entry = join(dir, 'handler.cjs');
  await writeFile(
    entry,
    "const { flow, rule, Verdicts } = require('@wmflow/core');\n" +
      "exports.handler = flow({ rules: [rule('drop-all', (ctx) => ctx.settle(Verdicts.DROP))] });\n",
  );
  const out = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-cjs-out-'));
  const bundled = join(out, 'fn');
  const run = await wmflow(['bundle', entry, '--out', bundled]);
  expect(run.stderr).toContain('(Handler: index.handler');
  expect(run.code).toBe(0);
  const replay = await wmflow([
    'replay',
    'samples/eml/01-plain-text.eml',
    '--handler',
    join(bundled, 'index.mjs'),
    '--json',
  ]);
  expect(replay.code).toBe(0);
  expect(replay.stdout).toContain('"DROP"');
  await rm(out, { recursive: true, force: true });
}, 90_000);

it('still refuses a CommonJS module that exports no handler', async () => {
  const entry = join(dir, 'other.cjs');
  await writeFile(entry, 'module.exports = async function main() { return { actions: [] }; };\n');
  const out = join(tmpdir(), `wmflow-newcomer-r9-cjs-none-${process.pid}`);
  const run = await wmflow(['bundle', entry, '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('exports no "handler"');
  expect(existsSync(out)).toBe(false);
}, 60_000);
