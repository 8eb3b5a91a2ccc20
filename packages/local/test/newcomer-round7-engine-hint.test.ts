import { expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

// Newcomer round 7: the WorkMail handler of `wmflow init` replayed with `--engine ses` (as the SES project's
// `npm test` does) failed every message with `InvalidResponse: not a disposition ({"actions":[…]}): SES continues`,
// which did not say that the handler is a WorkMail flow() one; the other way round (an sesFlow handler replayed
// without `--engine ses`) names the engine since round 5.
const ONE = 'samples/eml/01-plain-text.eml';

it('says a flow() answer is a WorkMail one, and how to replay or move it', async () => {
  const run = await wmflow([
    'replay',
    ONE,
    '--engine',
    'ses',
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--json',
  ]);
  expect(run.code).toBe(1);
  const [line] = jsonLines(run.stdout);
  expect(line?.error).toHaveProperty(
    'message',
    'not a disposition ({"actions":[{"action":{"type":"DEFAULT"},"allRecipients":true}]}): SES continues ' +
      '(a WorkMail answer: replay a flow() handler without --engine ses, or build it with sesFlow of @wmflow/core/ses)',
  );
});
