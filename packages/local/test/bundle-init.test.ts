import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, formatBundleReport, parseSize, REQUIRE_BANNER } from '../src/index.js';
import { localDefaults } from '../src/replay/function-defaults.js';
import { ROOT, wmflow } from './replay-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bundleHandler', () => {
  it('bundles a handler into index.mjs with the require banner, lazy chunks and a budget', async () => {
    const outdir = join(dir, 'wire');
    const entry = join(ROOT, 'samples/lambdas/wire-transfer-blocker.ts');
    const report = await bundleHandler({ entry, outdir, budget: { initial: 1_000, total: 50_000_000 } });
    const index = await readFile(join(outdir, 'index.mjs'), 'utf8');
    // The banner's require, after the join (joinInitialChunks) renamed it: createRequire on the module's own URL.
    expect(index).toMatch(
      /import\{createRequire as ([\w$]+)\}from"node:module";.*\b\1\(import\.meta\.url\)/s,
    );
    expect(existsSync(join(outdir, 'index.mjs.map'))).toBe(true);
    expect(report.lazy.length).toBeGreaterThan(0);
    expect(report.lazy.every((l) => l.file.startsWith('chunks/'))).toBe(true);
    expect(report.initial).toBeLessThan(report.total);
    expect(report.overBudget).toEqual([`initial ${report.initial} > 1000`]);
    expect(formatBundleReport([{ ...report, name: 'wire' }])).toMatch(/^wire\s+\d+\.\d KiB \(1\.0 KiB\)/m);
    const { handler } = (await import(join(outdir, 'index.mjs'))) as { handler: unknown };
    expect(typeof handler).toBe('function');
  });

  it('joins the chunks a cold start loads into one: index.mjs imports one chunk, lazy ones stay apart, maps reach the source', async () => {
    const entry = join(ROOT, 'samples/lambdas/wire-transfer-blocker.ts');
    const joined = await bundleHandler({ entry, outdir: join(dir, 'joined') });
    const split = await bundleHandler({ entry, outdir: join(dir, 'split'), mode: 'local' });
    const index = await readFile(join(joined.outdir, 'index.mjs'), 'utf8');
    const staticImports = [...index.matchAll(/(?:^|;)import[^()]*?from"(\.[^"]+)"/g)].map((m) => m[1]);
    expect(staticImports).toEqual([expect.stringMatching(/^\.\/chunks\/init-[a-z0-9]{8}\.mjs$/)]);
    const init = join(joined.outdir, String(staticImports[0]));
    expect(await readFile(init, 'utf8')).not.toMatch(/(?:^|;)import[^()]*?from"\.\.?\//);
    // The local build (esbuild alone, not joined) loads more modules at init for the same handler.
    const localIndex = await readFile(join(split.outdir, 'index.mjs'), 'utf8');
    expect(localIndex.startsWith(REQUIRE_BANNER)).toBe(true);
    expect([...localIndex.matchAll(/^(?:\} from|import) "\.\/chunks\//gm)].length).toBeGreaterThan(1);
    expect(joined.lazy.some((l) => /^chunks\/part-walk-[a-z0-9]{8}\.mjs$/.test(l.file))).toBe(true);
    expect(joined.lazy.map((l) => l.file)).not.toContain(String(staticImports[0]).slice(2));
    const map = JSON.parse(await readFile(`${init}.map`, 'utf8')) as { sources: string[] };
    const core = map.sources.filter((s) => /packages\/core\/src\/.+\.ts$/.test(s));
    expect(core.length).toBeGreaterThan(0);
    // Relative to the map, as esbuild wrote them: each names a file that is there.
    expect(core.filter((s) => !existsSync(resolve(dirname(init), s)))).toEqual([]);
    const { handler } = (await import(join(joined.outdir, 'index.mjs'))) as { handler: unknown };
    expect(typeof handler).toBe('function');
  });

  it('names the file, line and column of a build error', async () => {
    const entry = join(dir, 'broken.ts');
    await writeFile(entry, "import { nothing } from './missing.js';\nexport const handler = nothing;\n");
    await expect(bundleHandler({ entry, outdir: join(dir, 'broken') })).rejects.toThrow(
      /cannot bundle .*broken\.ts: Could not resolve "\.\/missing\.js" \(\/.*broken\.ts:1:25\)/,
    );
  });

  it('reads sizes in bytes, k and m', () => {
    expect(parseSize('950000')).toBe(950_000);
    expect(parseSize('900k')).toBe(921_600);
    expect(parseSize('1.5MB')).toBe(1_572_864);
    expect(parseSize('lots')).toBeUndefined();
  });
});

describe('wmflow bundle and init (from source)', () => {
  it('refuses a bad --max-size and a missing handler', async () => {
    const bad = await wmflow(['bundle', 'samples/lambdas/wire-transfer-blocker.ts', '--max-size', 'big']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-size: a size such as');
    const none = await wmflow(['bundle']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('give exactly one handler module');
  });

  it('completes an existing package.json and refuses to overwrite project files', async () => {
    const project = join(dir, 'My Rule');
    await mkdir(project);
    const npmInit = {
      name: 'my-rule',
      version: '1.0.0',
      type: 'commonjs',
      scripts: { test: 'exit 1' },
      allowScripts: { esbuild: false },
    };
    await writeFile(join(project, 'package.json'), JSON.stringify(npmInit));
    const r = await wmflow(['init', project]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('package.json scripts replaced: test');
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-rule', version: '1.0.0', type: 'module' });
    expect(pkg.scripts.test).toBe('wmflow replay mail --handler src/handler.ts --check');
    // npm's install-script approvals: the project's own decision stands, the missing one is added.
    expect(pkg.allowScripts).toEqual({ esbuild: false, 'classic-level': true });
    for (const file of ['.gitignore', '.gitattributes', '.github/workflows/ci.yml', 'src/handler.ts', 'mail'])
      expect(existsSync(join(project, file)), file).toBe(true);
    expect(await readFile(join(project, 'README.md'), 'utf8')).toMatch(/^# my-rule\n/);
    const again = await wmflow(['init', project]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has');
  });

  it('says npm install only while a dependency is missing from the project', async () => {
    const fresh = join(dir, 'fresh-rule');
    const r = await wmflow(['init', fresh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/next:\n {2}cd .*fresh-rule\n {2}npm install\n {2}npm test\n/);
    const installed = join(dir, 'installed-rule');
    await mkdir(installed);
    const deps = ['@wmflow/core', '@wmflow/rules', '@wmflow/local', '@types/node', 'typescript'];
    for (const name of deps) {
      await mkdir(join(installed, 'node_modules', name), { recursive: true });
      await writeFile(join(installed, 'node_modules', name, 'package.json'), JSON.stringify({ name }));
    }
    const ready = await wmflow(['init', installed]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stderr).toMatch(/next:\n {2}cd .*installed-rule\n {2}npm test\n/);
    expect(ready.stderr).not.toContain('npm install');
  });

  it('starts a project in a cloned repository: keeps its README and files, completes its ignore file', async () => {
    const project = join(dir, 'cloned');
    await mkdir(join(project, 'src'), { recursive: true });
    await writeFile(join(project, 'README.md'), '# our rules\n');
    await writeFile(join(project, '.gitignore'), 'node_modules/\n.env');
    await writeFile(join(project, 'src/other.ts'), 'export {};\n');
    const r = await wmflow(['init', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('kept your README.md');
    expect(r.stderr).toContain("added wmflow's lines to your .gitignore");
    expect(await readFile(join(project, 'README.md'), 'utf8')).toBe('# our rules\n');
    const ignore = await readFile(join(project, '.gitignore'), 'utf8');
    expect(ignore.startsWith('node_modules/\n.env\n# wmflow\n')).toBe(true);
    expect(ignore.match(/^node_modules\/$/gm)).toHaveLength(1);
    expect(ignore).toMatch(/^dist\/$/m);
    for (const file of ['src/other.ts', 'src/handler.ts', 'template.yaml', '.github/workflows/ci.yml'])
      expect(existsSync(join(project, file)), file).toBe(true);
    await rm(join(project, 'template.yaml'));
    const again = await wmflow(['init', project]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has .*src\/handler\.ts/);
    expect(again.stderr).not.toMatch(/README\.md|\.gitignore|template\.yaml/);
  });

  it('--engine ses makes the SES project: the rules apart, an sesFlow handler, the SES stack, SES replays', async () => {
    const project = join(dir, 'ses-rule');
    const r = await wmflow(['init', project, '--engine', 'ses']);
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('wmflow replay mail --engine ses --handler src/handler.ts --check');
    expect(pkg.scripts.replay).toBe('wmflow replay mail --engine ses --handler src/handler.ts');
    expect(pkg.allowScripts).toEqual({ esbuild: true, 'classic-level': true });
    const handler = await readFile(join(project, 'src/handler.ts'), 'utf8');
    expect(handler).toContain("from '@wmflow/core/ses'");
    expect(handler).toContain("from './rules.js'");
    expect(await readFile(join(project, 'src/rules.ts'), 'utf8')).toContain('export const rules');
    const stack = await readFile(join(project, 'template.yaml'), 'utf8');
    expect(stack).toContain('AWS::SES::ReceiptRule');
    expect(stack).not.toContain('workmail');
    expect(await readFile(join(project, 'README.md'), 'utf8')).toMatch(/^# ses-rule\n[\s\S]*Amazon SES/);
    // The files both engines share come from the one template: sample mail, CI, ignore files.
    for (const file of [
      'mail/02-newsletter.expect.json',
      '.github/workflows/ci.yml',
      '.gitignore',
      'tsconfig.json',
    ])
      expect(existsSync(join(project, file)), file).toBe(true);
    const wrong = await wmflow(['init', join(dir, 'other'), '--engine', 'exchange']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--engine: workmail or ses');
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });

  it('says what to do when an option after "--" reaches it as a folder (npx create-wmflow DIR -- --engine ses)', async () => {
    // `npm create wmflow DIR -- --engine ses` strips the `--`; npx passes it on to the bin.
    const passed = await wmflow(['init', join(dir, 'dashed'), '--', '--engine', 'ses']);
    expect(passed.code).toBe(1);
    expect(passed.stderr).toContain('give at most one folder');
    expect(passed.stderr).toContain('write "--engine ses" without the "--"');
    expect(existsSync(join(dir, 'dashed'))).toBe(false);
    const two = await wmflow(['init', join(dir, 'a'), join(dir, 'b')]);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('give at most one folder');
    expect(two.stderr).not.toContain('"--"');
  });

  it('gives prebuilt functions local buckets and a bounce sender only where the user set none', () => {
    expect(localDefaults('guard', {})).toEqual({ UPDATES_BUCKET: 'wmflow-local-updates' });
    expect(localDefaults('archiver', { JOURNAL_BUCKET: ' ' })).toEqual({
      JOURNAL_BUCKET: 'wmflow-local-journal',
    });
    expect(localDefaults('archiver', { JOURNAL_BUCKET: 'mine' })).toEqual({});
    expect(localDefaults('archiver-ses', {})).toEqual({ JOURNAL_BUCKET: 'wmflow-local-journal' });
    expect(localDefaults('guard-ses', {})).toEqual({ BOUNCE_SENDER: 'postmaster@wmflow-local.example' });
    expect(localDefaults('guard-ses', { BOUNCE_SENDER: 'postmaster@corp.example' })).toEqual({});
    expect(localDefaults('custom', {})).toEqual({});
  });
});
