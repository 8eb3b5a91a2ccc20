import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 7: a handler kept outside the project that installed wmflow (`/tmp/try.ts`, a scratch folder
// beside the project) was refused with esbuild's `Could not resolve "@wmflow/core"` alone: the package is installed,
// but not where the handler's imports are looked up (its folder and those above it).
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-unresolved-'));
  await writeFile(
    join(dir, 'handler.ts'),
    "import { flow } from '@wmflow/core';\nexport const handler = flow({ rules: [] });\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says where a package the handler imports is looked up, and what to do', async () => {
  const entry = join(dir, 'handler.ts');
  const run = await wmflow(['bundle', entry, '--out', join(dir, 'out')]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow bundle: cannot bundle ${entry}: Could not resolve "@wmflow/core" (${entry}:1:22): ` +
      `no node_modules/@wmflow/core in ${dir} or a folder above it: put the handler in the project that installed ` +
      `@wmflow/core, or npm install @wmflow/core there\n`,
  );
  expect(existsSync(join(dir, 'out'))).toBe(false);
});
