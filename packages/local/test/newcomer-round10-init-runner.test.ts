import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 10: in a project installed with pnpm (own-lambda.md's "With pnpm"), `pnpm exec wmflow init` closed
// with `next: npm install … npm test`: npm would install beside pnpm's layout a second tree of its own. The closing
// lines name the package manager that ran the command, as it says itself in npm_config_user_agent.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r10-runner-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('run by pnpm, the next steps are pnpm install and pnpm test', async () => {
  const run = await wmflow(['init', join(dir, 'by-pnpm')], {
    npm_config_user_agent: 'pnpm/9.15.9 npm/? node/v20.20.2 linux x64',
  });
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/next:\n {2}cd .*by-pnpm\n {2}pnpm install\n {2}pnpm test\n/);
}, 60_000);

it('run by yarn, yarn and yarn test', async () => {
  const run = await wmflow(['init', join(dir, 'by-yarn')], {
    npm_config_user_agent: 'yarn/1.22.22 npm/? node/v20.20.2 linux x64',
  });
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/ {2}yarn install\n {2}yarn test\n/);
}, 60_000);

it('control: run by npm, or by nothing that says, npm install and npm test as before', async () => {
  for (const agent of ['npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', '']) {
    const run = await wmflow(['init', join(dir, `by-npm-${agent.length}`)], { npm_config_user_agent: agent });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ {2}npm install\n {2}npm test\n/);
  }
}, 60_000);
