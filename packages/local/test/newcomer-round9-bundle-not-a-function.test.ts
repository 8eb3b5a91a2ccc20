import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 9 (left open by round 8): `wmflow bundle` checked that the module exports a `handler`, not that it
// is a function. `export const handler = [rule(…)]` bundled, exit 0, `Handler: index.handler`, and once deployed
// every invocation would fail (Lambda: "handler is not a function"), while replay refused the same module.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-fn-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function module(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

it('refuses a handler that is a list of rules, as replay does, and leaves no folder', async () => {
  const entry = await module('list.mjs', "export const handler = [{ name: 'x', run() {} }];\n");
  const out = join(dir, 'out-list');
  const run = await wmflow(['bundle', entry, '--out', out]);
  expect(run.stderr).toContain(
    '"handler" is a list, not a function: pass a list of rules to flow({ rules: [...] }) and export the handler flow() returns',
  );
  expect(run.code).toBe(1);
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('refuses a handler that is a rule, naming it', async () => {
  const entry = await module('rule.mjs', "export const handler = { name: 'tag-invoices', run() {} };\n");
  const out = join(dir, 'out-rule');
  const run = await wmflow(['bundle', entry, '--out', out]);
  expect(run.stderr).toContain('"handler" is a rule (tag-invoices), not a function');
  expect(run.code).toBe(1);
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('bundles a function handler, and says so when its cold start could not be run to check it', async () => {
  const good = await module('good.mjs', 'export const handler = async () => ({ actions: [] });\n');
  const ok = await wmflow(['bundle', good, '--out', join(dir, 'out-good')]);
  expect(ok.code).toBe(0);
  expect(ok.stderr).not.toContain('not checked');
  // A module whose top level needs its settings (here: one missing) is not refused: Lambda gives it its settings.
  const config = await module(
    'config.mjs',
    "if (!process.env.JOURNAL_BUCKET) throw new Error('JOURNAL_BUCKET is not set');\nexport const handler = async () => ({ actions: [] });\n",
  );
  const out = join(dir, 'out-config');
  const run = await wmflow(['bundle', config, '--out', out]);
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(
    'handler not checked: loading the bundle failed (Error: JOURNAL_BUCKET is not set)',
  );
  expect(existsSync(join(out, 'index.mjs'))).toBe(true);
  // No AWS credentials reach the module it loads.
  const creds = await module(
    'creds.mjs',
    "if (process.env.AWS_SECRET_ACCESS_KEY || process.env.AWS_PROFILE) throw new Error('credentials seen');\nexport const handler = async () => ({ actions: [] });\n",
  );
  const seen = await wmflow(['bundle', creds, '--out', join(dir, 'out-creds')], {
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_PROFILE: 'prod',
  });
  expect(seen.code).toBe(0);
  expect(seen.stderr).not.toContain('credentials seen');
}, 90_000);
