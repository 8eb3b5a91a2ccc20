import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 9: in a monorepo (npm workspaces) the packages are installed in the root's node_modules, which Node
// and the wmflow CLI find from the workspace; `wmflow init packages/mail-rule` still said `next: npm install`, as it
// looked only in the workspace's own node_modules.
const PACKAGES = ['@wmflow/core', '@wmflow/rules', '@wmflow/local', 'typescript', '@types/node'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-ws-'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
  );
  for (const name of PACKAGES) {
    await mkdir(join(dir, 'node_modules', name), { recursive: true });
    await writeFile(
      join(dir, 'node_modules', name, 'package.json'),
      JSON.stringify({ name, version: '0.1.0' }),
    );
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a workspace whose packages the root installed is told npm test, not npm install', async () => {
  const run = await wmflow(['init', join(dir, 'packages', 'mail-rule')]);
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('npm test');
  expect(run.stderr).not.toContain('npm install');
}, 60_000);

it('a project with them installed nowhere above is still told npm install', async () => {
  const alone = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-alone-'));
  try {
    const run = await wmflow(['init', join(alone, 'mail-rule')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('  npm install\n');
  } finally {
    await rm(alone, { recursive: true, force: true });
  }
}, 60_000);

// Newcomer round 9: `npm run deploy` in a scaffold on a machine without SAM ended, after the bundle, with
// `sh: 1: sam: not found`, and the project's README did not say the deploy needs the SAM CLI.
it('the scaffolds README says the deploy needs the AWS SAM CLI', async () => {
  for (const engine of ['workmail', 'ses']) {
    const target = join(dir, `sam-${engine}`);
    const run = await wmflow(['init', target, '--engine', engine]);
    expect(run.code).toBe(0);
    const readme = await readFile(join(target, 'README.md'), 'utf8');
    expect(readme, engine).toContain('`npm run deploy` needs the [AWS SAM CLI]');
    expect(readme, engine).toContain('`sam: not found`');
  }
}, 60_000);
