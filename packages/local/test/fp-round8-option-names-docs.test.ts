import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { REPO } from './packed-app.js';

// False-positive round 8 on the check of option names (a rule factory, `flow()` or `sesFlow()` given an option it does
// not know throws a ConfigError naming the nearest one): docs-examples.test.ts type-checks the examples, which the
// type-checker passes whatever the check lists at run time. Here every TypeScript example in README.md and docs/, the
// scaffold templates' handlers and the samples' handlers are loaded (run) in one Node process: none may be refused an
// option. (An example may still fail for what it needs at run time, an event file or a variable: only a refused
// option name fails this test.)
const DIR = join(REPO, '.wmflow-tmp', `fp8-option-names-${process.pid}`);
afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

it('loads every documented example, template and sample handler without an option refused', async () => {
  await mkdir(DIR, { recursive: true });
  const modules: string[] = [];
  const docs = ['README.md', ...(await readdir(join(REPO, 'docs'))).map((f) => `docs/${f}`)];
  for (const doc of docs.filter((d) => d.endsWith('.md'))) {
    const text = await readFile(join(REPO, doc), 'utf8');
    for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      const file = join(DIR, `example-${modules.length}.ts`);
      await writeFile(file, `${m[1]}\nexport {};\n`);
      modules.push(file);
    }
  }
  await writeFile(
    join(DIR, 'rules.ts'),
    `export { blockWireTransferRequests } from '${join(REPO, 'samples/lambdas/wire-transfer-blocker.ts')}';\n`,
  );
  for (const file of [
    'packages/local/templates/init/src/handler.ts',
    'packages/local/templates/init-ses/src/handler.ts',
    'samples/lambdas/wire-transfer-blocker.ts',
    'samples/lambdas/wire-transfer-blocker-ses.ts',
    'samples/lambdas/junk-external-newsletters.ts',
  ])
    modules.push(join(REPO, file));
  expect(modules.length).toBeGreaterThanOrEqual(20);
  const runner = join(DIR, 'run.mjs');
  await writeFile(
    runner,
    `const refused = [];
for (const m of ${JSON.stringify(modules)}) {
  try { await import(m); } catch (e) { if (/has no option/.test(String(e?.message))) refused.push(m + ': ' + e.message); }
}
process.stdout.write('\\nFP8 ' + JSON.stringify(refused) + '\\n');
process.exit(0);
`,
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=wmflow-source', runner],
    {
      cwd: DIR,
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        JOURNAL_BUCKET: 'corp-journal',
        UPDATES_BUCKET: 'corp-updates',
        EXTERNAL_MARKER_KEY: 'k'.repeat(32),
      },
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('FP8 '));
  expect(line, stdout).toBeDefined();
  expect(JSON.parse((line as string).slice(4))).toEqual([]);
}, 120_000);
