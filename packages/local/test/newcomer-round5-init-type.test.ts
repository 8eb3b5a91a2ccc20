import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 5: `wmflow init` in a project whose package.json says `"type": "commonjs"` (an existing CommonJS
// project, where `require` in a .js file works) made it `"module"` and said only which scripts it replaced: the
// project's own .js files then failed to load (`require is not defined in ES module scope`) with nothing pointing
// at the change.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r5-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says that it changed "type" from commonjs to module, and what that means for the .js files', async () => {
  const project = join(dir, 'cjs-project');
  await mkdir(project, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'cjs-project',
      version: '1.0.0',
      type: 'commonjs',
      scripts: { start: 'node index.js' },
    }),
  );
  const r = await wmflow(['init', project]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8')).type).toBe('module');
  expect(r.stderr).toContain('package.json "type" changed from "commonjs" to "module"');
  expect(r.stderr).toContain('.cjs');
});

it('says nothing of the type when the project had none or already was a module', async () => {
  for (const [name, type] of [
    ['untyped', undefined],
    ['esm', 'module'],
  ] as const) {
    const project = join(dir, name);
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name, version: '1.0.0', type }));
    const r = await wmflow(['init', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('"type" changed');
  }
});
