import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Fault round 89, held: `wmflow replay --check` of a handler whose rule throws under a fail-open policy (an Error,
// `undefined`, a string; in a `when()` condition; in audit mode), with an expectation the verdicts meet. Asked: the row
// is never `ok` or `✓ as expected`, the failure is listed, and the run exits 1.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f89-replay-'));
  const core = join(ROOT, 'packages/core/src/index.ts');
  await writeFile(
    join(dir, 'handlers.ts'),
    [
      `import { audit, flow, when } from ${JSON.stringify(core)};`,
      'const rule = (name: string, thrown: () => unknown) => ({ name, onError: "fail-open" as const, run: async () => { throw thrown(); } });',
      'export const error = flow({ rules: [rule("dlp", () => new Error("boom"))] });',
      'export const nothing = flow({ rules: [rule("dlp", () => undefined)] });',
      'export const text = flow({ rules: [rule("dlp", () => "boom")] });',
      'export const condition = flow({ rules: [{ ...when(() => { throw new Error("cond"); }, { name: "dlp", run: async () => {} }), onError: "fail-open" as const }] });',
      'export const audited = flow({ rules: [audit(rule("dlp", () => new Error("boom")))] });',
    ].join('\n'),
  );
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, 'one.eml'));
  await writeFile(
    join(dir, 'expect.json'),
    JSON.stringify({ fixtures: { 'one.eml': { verdicts: { '*': 'DEFAULT' } } } }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('held: replay --check of a rule that failed open', () => {
  it.each(['error', 'nothing', 'text', 'condition', 'audited'])(
    '%s: shown, not ok, exit 1',
    async (name) => {
      const args = ['replay', join(dir, 'one.eml'), '--handler', `${join(dir, 'handlers.ts')}#${name}`];
      const check = ['--expect', join(dir, 'expect.json'), '--check'];
      const table = await wmflow([...args, ...check]);
      expect(table.stdout, table.stderr).not.toMatch(/as expected|\bok\s*$/m);
      expect(table.stdout).toMatch(/rule failed/);
      expect(table.code).toBe(1);
      const json = await wmflow([...args, ...check, '--json']);
      const [line] = jsonLines(json.stdout);
      expect(line?.failures, json.stderr).toEqual([
        expect.objectContaining({ rule: 'dlp', policy: 'fail-open' }),
      ]);
      expect(json.code).toBe(1);
    },
    60_000,
  );
});
