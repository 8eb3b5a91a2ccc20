import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 6: in a TypeScript ESM project imports name the `.js` of a `.ts` file (`import { rules } from
// './rules.js'`), so `--handler src/handler.js` is what a newcomer types, or `--handler src/handler` as in a
// bundler's entry; both were refused with `no such module` alone, with the `.ts` beside them.
const ONE = 'samples/eml/01-plain-text.eml';

it('names the .ts beside the .js asked for', async () => {
  const run = await wmflow(['replay', ONE, '--handler', 'samples/lambdas/wire-transfer-blocker.js']);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    'wmflow replay: --handler: no such module samples/lambdas/wire-transfer-blocker.js (samples/lambdas/wire-transfer-blocker.ts exists: give that)\n',
  );
});

it('names the module a path without extension stands for, and says nothing more when there is none', async () => {
  const bare = await wmflow(['replay', ONE, '--handler', 'samples/lambdas/wire-transfer-blocker#handler']);
  expect(bare.stderr).toContain('(samples/lambdas/wire-transfer-blocker.ts exists: give that)');
  const none = await wmflow(['replay', ONE, '--handler', 'samples/lambdas/nothing-here.js']);
  expect(none.stderr).toBe('wmflow replay: --handler: no such module samples/lambdas/nothing-here.js\n');
});
