import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collect, wmflow } from './replay-helpers.js';

// Newcomer round 10 (left open by round 9): a handler using `ws` with its optional `bufferutil` installed was refused
// by `wmflow bundle`, `… imports bufferutil, a native addon …: use a pure-JavaScript package instead`, though ws
// requires it inside try/catch and runs without it (as it does when bufferutil is not installed, or in the bundle, where
// its build is not). A native package reached only through `require()` calls inside a `try` is now bundled, and stderr
// says so; one imported otherwise is refused as before.
let dir: string;

async function pkg(name: string, files: Record<string, string>, manifest: Record<string, unknown> = {}) {
  const at = join(dir, 'node_modules', name);
  await mkdir(at, { recursive: true });
  await writeFile(
    join(at, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }),
  );
  for (const [file, text] of Object.entries(files)) await writeFile(join(at, file), text);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r10-native-'));
  // bufferutil as node-gyp-build lays it out: binding.gyp, the addon found at run time from __dirname.
  await pkg('fake-bufferutil', {
    'binding.gyp': '{ "targets": [] }\n',
    'index.js':
      "const path = require('path');\nmodule.exports = require(path.join(__dirname, 'build', 'Release', 'bufferutil.node'));\n",
  });
  // ws's lib/buffer-util.js: the addon is optional, required inside try/catch.
  await pkg('fake-ws', {
    'index.js':
      "let util;\ntry {\n  util = require('fake-bufferutil');\n} catch (e) {\n  // runs without it\n}\nexports.masking = () => (util ? 'native' : 'javascript');\n",
  });
  // The same package required outside a try, and one requiring it inside a function declared in a try.
  await pkg('fake-strict-ws', {
    'index.js': "const util = require('fake-bufferutil');\nexports.masking = () => typeof util;\n",
  });
  await pkg('fake-later-ws', {
    'index.js':
      "let load;\ntry {\n  load = () => require('fake-bufferutil');\n} catch (e) {}\nexports.masking = () => typeof load();\n",
  });
  for (const name of ['fake-ws', 'fake-strict-ws', 'fake-later-ws'])
    await writeFile(
      join(dir, `${name}.mjs`),
      `import ws from '${name}';\nexport const handler = async () => ({ actions: [], masking: ws.masking() });\n`,
    );
  await writeFile(
    join(dir, 'both.mjs'),
    "import ws from 'fake-ws';\nimport strict from 'fake-strict-ws';\nexport const handler = async () => ({ actions: [], masking: ws.masking() + strict.masking() });\n",
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('bundles a native addon its importer requires inside try/catch, says so, and the bundle runs without it', async () => {
  const out = join(dir, 'out-ws');
  const run = await wmflow(['bundle', join(dir, 'fake-ws.mjs'), '--out', out]);
  expect(run.stderr).not.toContain('cannot bundle');
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(
    'fake-bufferutil, a native addon, is bundled without its build: fake-ws requires it inside try/catch and runs without it',
  );
  const call = await collect(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(out, 'index.mjs'))}); console.log(JSON.stringify(await m.handler({})));`,
    ],
    { cwd: dir, env: process.env },
  );
  expect(call.code).toBe(0);
  expect(JSON.parse(call.stdout)).toEqual({ actions: [], masking: 'javascript' });
}, 90_000);

it('control: still refuses it required outside a try, inside a function, or also imported plainly', async () => {
  for (const name of ['fake-strict-ws', 'fake-later-ws', 'both']) {
    const out = join(dir, `out-${name}`);
    const run = await wmflow(['bundle', join(dir, `${name}.mjs`), '--out', out]);
    expect(run.stderr).toContain('imports fake-bufferutil, a native addon');
    expect(run.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  }
}, 120_000);
