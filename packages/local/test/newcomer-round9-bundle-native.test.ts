import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 9: a handler importing a native addon (a package built by node-gyp: classic-level, sharp, …)
// bundled, exit 0, `Handler: index.handler`, into a bundle that cannot load: the addon's `.node` build is not in it
// (Lambda: Runtime.ImportModuleError; the bundle loaded here: `No native build was found …`), and replay of the
// same `.ts` handler said `ReferenceError: __dirname is not defined in ES module scope`. A `require('./x.node')`
// stopped esbuild with `No loader is configured for ".node" files`, naming neither the package nor what to do.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r9-native-'));
  // A package as node-gyp-build lays one out: binding.gyp, the addon found at run time from __dirname.
  const gyp = join(dir, 'node_modules', 'fake-level');
  await mkdir(gyp, { recursive: true });
  await writeFile(
    join(gyp, 'package.json'),
    JSON.stringify({ name: 'fake-level', version: '1.0.0', main: 'index.js', gypfile: true }),
  );
  await writeFile(join(gyp, 'binding.gyp'), '{ "targets": [] }\n');
  await writeFile(
    join(gyp, 'index.js'),
    "const path = require('path');\nmodule.exports = require(path.join(__dirname, 'build', 'Release', 'level.node'));\n",
  );
  // A package that requires its .node file by a literal path.
  const direct = join(dir, 'node_modules', 'fake-direct');
  await mkdir(join(direct, 'build', 'Release'), { recursive: true });
  await writeFile(
    join(direct, 'package.json'),
    JSON.stringify({ name: 'fake-direct', version: '1.0.0', main: 'index.js' }),
  );
  await writeFile(join(direct, 'build', 'Release', 'direct.node'), 'not really an addon');
  await writeFile(join(direct, 'index.js'), "module.exports = require('./build/Release/direct.node');\n");
  await writeFile(
    join(dir, 'gyp.mjs'),
    "import level from 'fake-level';\nexport const handler = async () => ({ actions: [], level: typeof level });\n",
  );
  await writeFile(
    join(dir, 'direct.mjs'),
    "import direct from 'fake-direct';\nexport const handler = async () => ({ actions: [], direct: typeof direct });\n",
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses a handler that imports a node-gyp package, naming it and what to do', async () => {
  const out = join(dir, 'out-gyp');
  const run = await wmflow(['bundle', join(dir, 'gyp.mjs'), '--out', out]);
  expect(run.stderr).toContain(
    'imports fake-level, a native addon (built by node-gyp for one platform and Node version): a bundle cannot carry it',
  );
  expect(run.code).toBe(1);
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('says which package requires a .node file, not only esbuild words', async () => {
  const out = join(dir, 'out-direct');
  const run = await wmflow(['bundle', join(dir, 'direct.mjs'), '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('No loader is configured for ".node" files');
  expect(run.stderr).toContain('imports fake-direct, a native addon');
  expect(existsSync(out)).toBe(false);
}, 60_000);
