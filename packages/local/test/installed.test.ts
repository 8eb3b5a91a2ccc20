import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp, ok, packAll, REPO, sh } from './packed-app.js';

// The packages as a user gets them: packed, installed from the tarballs (their dependencies from the
// npm registry, through a cache kept between runs) into an app outside this repository.
const EML = join(REPO, 'samples/eml');
const MINUTE = 60_000;

const HANDLER = `import { flow, rule, Verdicts } from '@wmflow/core';
import { blockSenders } from '@wmflow/rules';

const wireTransfer = rule('wire-transfer', async (ctx) => {
  const { text } = await ctx.message.parsed();
  if (/urgent wire transfer/i.test(\`\${ctx.subject}\\n\${text ?? ''}\`)) ctx.settle(Verdicts.DROP);
});

export const handler = flow({
  direction: 'INBOUND',
  rules: [blockSenders({ senders: ['scam.example'], verdict: Verdicts.DROP }), wireTransfer],
});
`;

const THROWS = `import { flow, rule } from '@wmflow/core';
export const handler = flow({ rules: [rule('always-throws', () => { throw new Error('broken rule'); })] });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  files: ['custom.ts'],
};

let work: string;
let app: string;
const wmflow = (args: string[], cwd = app) => sh('npx', ['--no-install', 'wmflow', ...args], cwd);
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wmflow-installed-'));
  app = join(work, 'app');
  const tarballs = await packAll(join(work, 'tarballs'));
  await installApp(app, tarballs);
  await writeFile(join(app, 'custom.ts'), HANDLER);
  await writeFile(join(app, 'throws.ts'), THROWS);
  await writeFile(join(app, 'tsconfig.custom.json'), JSON.stringify(TSCONFIG, null, 2));
}, 20 * MINUTE);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('installed packages', { timeout: 5 * MINUTE }, () => {
  it('type-check a handler using @wmflow/core and @wmflow/rules (declarations included)', async () => {
    await ok(sh('npx', ['--no-install', 'tsc', '-p', 'tsconfig.custom.json'], app));
  });

  it('replay the TypeScript handler over samples/eml, skipping outbound mail with a note', async () => {
    const r = await ok(
      wmflow(['replay', EML, '--handler', './custom.ts', '--org-domain', 'corp.example', '--json']),
    );
    const results = lines(r.stdout);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((x) => x.error !== null)).toEqual([]);
    const dropped = results.filter((x) => Object.values(x.verdicts as object).includes('DROP'));
    expect(dropped.map((x) => x.file).join()).toContain('05-ceo-impersonation.eml');
    const outbound = results.filter((x) => x.direction === 'OUTBOUND');
    expect(outbound.length).toBeGreaterThan(0);
    expect(outbound.every((x) => x.skipped === 'the handler is for INBOUND mail only')).toBe(true);
    expect(r.stderr).toContain(`${outbound.length} message(s) skipped: the handler is for INBOUND mail only`);
  });

  it('bundle it for Lambda: the bundle imports, exports the handler and replays the same verdicts', async () => {
    const b = await ok(wmflow(['bundle', 'custom.ts', '--out', 'dist/custom', '--max-size', '1m']));
    expect(b.stderr).toMatch(/dist\/custom\s+\d+\.\d KiB \(1024\.0 KiB\)/);
    const imported = await ok(
      sh('node', ['-e', "import('./dist/custom/index.mjs').then((m) => console.log(typeof m.handler))"], app),
    );
    expect(imported.stdout.trim()).toBe('function');
    const source = lines((await ok(wmflow(['replay', EML, '--handler', './custom.ts', '--json']))).stdout);
    const bundled = lines(
      (await ok(wmflow(['replay', EML, '--handler', 'dist/custom/index.mjs', '--json']))).stdout,
    );
    expect(bundled.map((x) => [x.file, x.verdicts, x.error])).toEqual(
      source.map((x) => [x.file, x.verdicts, x.error]),
    );
    const tight = await wmflow(['bundle', 'custom.ts', '--out', 'dist/tight', '--max-size', '10k']);
    expect(tight.code).toBe(1);
    expect(tight.stderr).toContain('size budget exceeded: initial');
  });

  it('replay the prebuilt guard from @wmflow/functions with no settings but the domain', async () => {
    const r = await ok(
      wmflow(['replay', EML, '--function', 'guard', '--org-domain', 'corp.example', '--json']),
    );
    expect(r.stderr).toContain('local defaults UPDATES_BUCKET=wmflow-local-updates');
    const results = lines(r.stdout);
    expect(results.filter((x) => x.error !== null)).toEqual([]);
    expect(results.some((x) => x.rewritten !== null)).toBe(true);
  });

  it('exit 1 naming the rule when a rule throws', async () => {
    const r = await wmflow(['replay', join(EML, '01-plain-text.eml'), '--handler', './throws.ts']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('always-throws');
    expect(r.stdout).toContain('broken rule');
  });

  it('wmflow init completes the app (docs/own-lambda.md): npm test, replay, typecheck and bundle work', async () => {
    const init = await ok(wmflow(['init']));
    expect(init.stderr).toContain('package.json scripts replaced: test');
    const pkg = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies['@wmflow/core']).toMatch(/^file:/);
    const test = await ok(sh('npm', ['test'], app));
    expect(test.stdout).toContain('expectations 3/3 met');
    const replayed = await ok(sh('npm', ['run', '-s', 'replay', '--', '--json'], app));
    expect(lines(replayed.stdout).map((x) => Object.values(x.verdicts as object)[0])).toEqual([
      'DEFAULT',
      'MOVE_TO_JUNK',
      'DROP',
    ]);
    await ok(sh('npm', ['run', 'typecheck'], app));
    const bundled = await ok(sh('npm', ['run', '-s', 'bundle'], app));
    expect(bundled.stderr).toContain('CodeUri: dist/handler');
    const guard = await ok(wmflow(['replay', 'mail', '--function', 'guard', '--org-domain', 'corp.example']));
    expect(guard.stdout).toContain('3 message(s)');
  });

  it('the unit test of @wmflow/core/testing passes in the init project with vitest, on the emulator, not AWS', async () => {
    const readme = await readFile(join(REPO, 'packages/core/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Testing a handler'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain('startLocalStack');
    await writeFile(join(app, 'src/handler.test.ts'), example as string);
    await ok(sh('npm', ['install', '-D', 'vitest@^4.1.12'], app));
    // AWS settings as on a developer's machine: the test must not use them.
    const aws = ['AWS_REGION=eu-west-1', 'AWS_ACCESS_KEY_ID=AKIAEXAMPLE', 'AWS_SECRET_ACCESS_KEY=example'];
    const run = await ok(
      sh('env', [...aws, 'npx', '--no-install', 'vitest', 'run', 'src/handler.test.ts'], app),
    );
    expect(run.stdout).toMatch(/1 passed/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/amazonaws\.com|"failures":\[\{/);
    await ok(sh('npm', ['run', 'typecheck'], app));
  });

  it('wmflow init demo: a project whose tests pass, that type-checks and bundles', async () => {
    await ok(wmflow(['init', 'demo']));
    const demo = join(app, 'demo');
    const pkg = JSON.parse(await readFile(join(demo, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.scripts)).toEqual(['replay', 'test', 'typecheck', 'bundle', 'deploy']);
    // The demo resolves the packages installed in the app around it (npm adds each parent's .bin to PATH).
    const test = await ok(sh('npm', ['test'], demo));
    expect(test.stdout).toContain('expectations 3/3 met');
    await ok(sh('npm', ['run', 'typecheck'], demo));
    const bundled = await ok(sh('npm', ['run', '-s', 'bundle'], demo));
    expect(bundled.stderr).toContain('CodeUri: dist/handler');
    const again = await wmflow(['init', 'demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has');
    // `npm create wmflow demo-created` runs the bin of create-wmflow (from the registry; here, the tarball's).
    await ok(sh('npx', ['--no-install', 'create-wmflow', 'demo-created'], app));
    const created = await ok(sh('npm', ['test'], join(app, 'demo-created')));
    expect(created.stdout).toContain('expectations 3/3 met');
  });

  it('wmflow init --engine ses: the SES project replays on SES as expected, type-checks and bundles', async () => {
    await ok(wmflow(['init', 'demo-ses', '--engine', 'ses']));
    const demo = join(app, 'demo-ses');
    const test = await ok(sh('npm', ['test'], demo));
    expect(test.stdout).toContain('expectations 3/3 met');
    const replayed = lines((await ok(sh('npm', ['run', '-s', 'replay', '--', '--json'], demo))).stdout);
    expect(replayed.map((x) => [x.engine, x.disposition])).toEqual([
      ['ses', 'CONTINUE'],
      ['ses', 'STOP_RULE'],
      ['ses', 'STOP_RULE_SET'],
    ]);
    await ok(sh('npm', ['run', 'typecheck'], demo));
    const bundled = await ok(sh('npm', ['run', '-s', 'bundle'], demo));
    expect(bundled.stderr).toContain('CodeUri: dist/handler');
  });

  it('print help that points at documentation a user can open', async () => {
    const r = await wmflow(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('https://github.com/wmflow/wmflow/blob/main/docs/replay.md');
    expect(r.stderr).not.toMatch(/\(docs\//);
  });
});
