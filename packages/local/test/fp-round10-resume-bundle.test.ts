import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, FROM_SOURCE, jsonLines, ROOT, wmflow } from './replay-helpers.js';

// False-positive round 10 (newcomer round 7 made `backtest --resume` refuse lines of another candidate policy, and
// `wmflow bundle` refuse a module exporting no `handler`): the same policy resumed however it is named, and handlers
// exported in the ordinary ways bundled.
const BLOCKER = 'samples/lambdas/wire-transfer-blocker.ts';
let dir: string;
let journal: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-fp10-'));
  journal = join(dir, 'journal');
  await mkdir(journal);
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(journal, 'a'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(journal, 'b'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The lines of a first run over `journal`, as written to `name`. */
async function firstRun(name: string, args: string[]): Promise<string> {
  const run = await wmflow(['backtest', journal, ...args, '-j', '1']);
  expect(run.code, run.stderr).toBe(0);
  const path = join(dir, name);
  await writeFile(path, run.stdout);
  return path;
}

describe('FP10-R: --resume of the same policy', () => {
  it('--function guard resumed with --function guard', async () => {
    const results = await firstRun('guard.jsonl', ['--function', 'guard']);
    const run = await wmflow(['backtest', journal, '--function', 'guard', '--resume', results, '-j', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', resumed: 2 });
  }, 60_000);

  it('a relative path resumed by its absolute path with #handler spelled out', async () => {
    const results = await firstRun('relative.jsonl', ['--handler', BLOCKER]);
    const run = await wmflow([
      'backtest',
      journal,
      '--handler',
      `${join(ROOT, BLOCKER)}#handler`,
      '--resume',
      results,
      '-j',
      '1',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', resumed: 2 });
  }, 60_000);

  it('the same module resumed from another working folder (the path written from there)', async () => {
    const results = await firstRun('root.jsonl', ['--handler', BLOCKER]);
    const run = await collect(
      process.execPath,
      [
        ...FROM_SOURCE,
        'backtest',
        journal,
        '--handler',
        'lambdas/wire-transfer-blocker.ts',
        '--resume',
        results,
        '-j',
        '1',
      ],
      { cwd: join(ROOT, 'samples'), env: process.env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', resumed: 2 });
  }, 60_000);

  it('control: another module of the same name, from another folder, is still refused', async () => {
    const results = await firstRun('blocker.jsonl', ['--handler', BLOCKER]);
    const folder = join(ROOT, 'packages/local/test/fixtures/fp10-other');
    await mkdir(join(folder, 'lambdas'), { recursive: true });
    try {
      await copyFile(join(ROOT, BLOCKER), join(folder, 'lambdas/wire-transfer-blocker.ts'));
      const run = await collect(
        process.execPath,
        [
          ...FROM_SOURCE,
          'backtest',
          journal,
          '--handler',
          'lambdas/wire-transfer-blocker.ts',
          '--resume',
          results,
        ],
        { cwd: folder, env: process.env },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`its lines are of ${BLOCKER}#handler`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('FP10-B: bundle of the ordinary ways to export handler', () => {
  const cases: Record<string, string> = {
    'export { main as handler }':
      "import { flow, rule, Verdicts } from '@wmflow/core';\nconst main = flow({ rules: [rule('x', (ctx) => ctx.settle(Verdicts.DROP))] });\nexport { main as handler };\n",
    'a TypeScript const arrow':
      "export const handler = async (_event: unknown) => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n",
    're-exported from another module': "export { handler } from './impl.js';\n",
  };
  for (const [name, source] of Object.entries(cases)) {
    it(`${name}: bundled`, async () => {
      const folder = join(ROOT, 'packages/local/test/fixtures', `fp10-${Object.keys(cases).indexOf(name)}`);
      await mkdir(folder, { recursive: true });
      try {
        await writeFile(join(folder, 'handler.ts'), source);
        await writeFile(
          join(folder, 'impl.ts'),
          "export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n",
        );
        const out = join(dir, `bundle-${Object.keys(cases).indexOf(name)}`);
        const run = await wmflow(['bundle', join(folder, 'handler.ts'), '--out', out]);
        expect(run.code, run.stderr).toBe(0);
        expect(existsSync(join(out, 'index.mjs'))).toBe(true);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }, 60_000);
  }

  // Newcomer round 9: a CommonJS module exporting `handler` (module.exports.handler) now bundles to index.handler
  // (newcomer-round9-commonjs-handler.test.ts); one whose module.exports is the handler itself is still refused.
  it('kept: a CommonJS module without a handler export (module.exports = flow(…)) is refused, the message saying why and what to write', async () => {
    const folder = join(ROOT, 'packages/local/test/fixtures', 'fp10-cjs');
    await mkdir(folder, { recursive: true });
    try {
      await writeFile(
        join(folder, 'handler.cjs'),
        "const { flow } = require('@wmflow/core');\nmodule.exports = flow({ rules: [] });\n",
      );
      const out = join(dir, 'bundle-cjs');
      const run = await wmflow(['bundle', join(folder, 'handler.cjs'), '--out', out]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('a CommonJS module');
      expect(run.stderr).toContain('export const handler');
      expect(existsSync(out)).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('FP10-M: backtest over a folder of fixtures with their expectations', () => {
  it('a message saved as NAME.EML (capitals) beside NAME.expect.json: the expectation is no failed message', async () => {
    const mail = join(dir, 'mail');
    await mkdir(mail, { recursive: true });
    const init = join(ROOT, 'packages/local/templates/init/mail');
    await copyFile(join(init, '01-lunch.eml'), join(mail, 'Lunch.EML'));
    await copyFile(join(init, '01-lunch.expect.json'), join(mail, 'Lunch.expect.json'));
    await copyFile(join(init, '02-newsletter.eml'), join(mail, '2026.12.07 newsletter.eml'));
    await copyFile(join(init, '02-newsletter.expect.json'), join(mail, '2026.12.07 newsletter.expect.json'));
    const run = await wmflow(['backtest', mail, '--function', 'guard', '-j', '1']);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.filter((l) => l.type === 'message').map((l) => l.key)).toEqual([
      '2026.12.07 newsletter.eml',
      'Lunch.EML',
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', messages: 2, failed: 0 });
  }, 60_000);
});
