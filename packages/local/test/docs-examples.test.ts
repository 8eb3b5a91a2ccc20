import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { REPO } from './packed-app.js';

// Every TypeScript example in README.md and docs/ is a whole module a user can copy into a file: it compiles
// under the project's strict settings against the packages' public entry points, imports included.
const DIR = join(REPO, '.wmflow-tmp', `doc-examples-${process.pid}`);
afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

async function examples(): Promise<{ where: string; code: string }[]> {
  const docs = ['README.md', ...(await readdir(join(REPO, 'docs'))).map((f) => `docs/${f}`)];
  const found: { where: string; code: string }[] = [];
  for (const doc of docs.filter((d) => d.endsWith('.md'))) {
    const text = await readFile(join(REPO, doc), 'utf8');
    for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, m.index).split('\n').length;
      found.push({ where: `${doc}:${line}`, code: m[1] as string });
    }
  }
  return found;
}

it('every ts example in the README and docs is a whole module that type-checks', async () => {
  const all = await examples();
  expect(all.length).toBeGreaterThanOrEqual(18);
  // A fragment (no import) would not compile as copied.
  expect(all.filter((e) => !/^import /m.test(e.code)).map((e) => e.where)).toEqual([]);
  await mkdir(DIR, { recursive: true });
  const names = new Map<string, string>();
  for (const [i, { where, code }] of all.entries()) {
    const name = `example-${i}.ts`;
    names.set(name, where);
    await writeFile(join(DIR, name), `${code}\nexport {};\n`);
  }
  // The one module the examples import from the reader's own project: their rules file.
  await writeFile(
    join(DIR, 'rules.ts'),
    `export { blockWireTransferRequests } from '${join(REPO, 'samples/lambdas/wire-transfer-blocker.js')}';\n`,
  );
  await writeFile(
    join(DIR, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        declaration: false,
        declarationMap: false,
        customConditions: ['wmflow-source'],
      },
      include: ['*.ts'],
    }),
  );
  const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
  const errors = await promisify(execFile)(process.execPath, [tsc, '-p', DIR], { cwd: REPO }).then(
    () => '',
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  // Name the doc and line of each example that failed, not the temporary file.
  const named = errors.replace(/[^\s]*?(example-\d+\.ts)/g, (_, file: string) => names.get(file) ?? file);
  expect(named).toBe('');
}, 120_000);

it('every documented command whose output is redirected runs npm with -s (npm writes its own lines to stdout)', async () => {
  const docs = ['README.md', ...(await readdir(join(REPO, 'docs'))).map((f) => `docs/${f}`)];
  const noisy: string[] = [];
  for (const doc of docs.filter((d) => d.endsWith('.md'))) {
    const text = (await readFile(join(REPO, doc), 'utf8')).replace(/\\\n\s*/g, ' ');
    for (const line of text.split('\n'))
      if (/^\s*npm run (?!-s )[\w:-]+ -- .* >>? /.test(line)) noisy.push(`${doc}: ${line.slice(0, 80)}`);
  }
  expect(noisy).toEqual([]);
});
