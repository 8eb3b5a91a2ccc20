import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 5: an outbound-only handler replayed with `--check` over mail from the organization, without
// `--org-domain` or `--direction` (the handler's own organizationDomains are not the replay's): every message was
// synthesized as INBOUND, skipped by the handler ("the handler is for OUTBOUND mail only"), and an expectation
// `{ "verdicts": { "*": "BOUNCE" } }` was counted as met, since no recipient had a verdict to differ: the run said
// "expectations 1/1 met" and exited 0 having checked nothing.
const FIXTURE = join(ROOT, 'packages/local/test/fixtures/newcomer-round5-outbound.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r5-skip-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, 'card.eml'));
  await writeFile(join(dir, 'card.expect.json'), JSON.stringify({ verdicts: { '*': 'BOUNCE' } }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a skipped message does not meet an expectation of verdicts: the check fails and says why', async () => {
  const run = await wmflow(['replay', dir, '--handler', FIXTURE, '--check']);
  expect(run.stdout).not.toContain('expectations 1/1 met');
  expect(run.stdout).toContain('expectations 0/1 met');
  expect(run.stdout).toContain('the handler is for OUTBOUND mail only');
  expect(run.code).toBe(1);
});

it('the same message replayed in the handler’s direction meets it', async () => {
  const run = await wmflow(['replay', dir, '--handler', FIXTURE, '--check', '--direction', 'OUTBOUND']);
  expect(run.stdout).toContain('expectations 1/1 met');
  expect(run.code).toBe(0);
});
