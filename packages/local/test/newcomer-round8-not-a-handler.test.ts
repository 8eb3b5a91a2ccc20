import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 8: an export that is no handler was refused as `"rules" is a object, not a function`: "a object",
// and nothing said that a list of rules, or one rule, goes into flow({ rules }) whose result is the handler.
const ONE = 'samples/eml/01-plain-text.eml';
const MODULE = 'packages/local/test/fixtures/newcomer-round8-not-a-handler.ts';

async function refusal(name: string): Promise<string> {
  const run = await wmflow(['replay', ONE, '--handler', `${MODULE}#${name}`, '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  return run.stderr;
}

it('names a list of rules as such, and where it goes', async () => {
  expect(await refusal('rules')).toBe(
    `wmflow replay: ${MODULE}#rules: "rules" is a list, not a function: ` +
      'pass a list of rules to flow({ rules: [...] }) and export the handler flow() returns\n',
  );
}, 60_000);

it('names a rule as such, and where it goes', async () => {
  expect(await refusal('oneRule')).toBe(
    `wmflow replay: ${MODULE}#oneRule: "oneRule" is a rule (drop-all), not a function: ` +
      'pass it to flow({ rules: [...] }) and export the handler flow() returns\n',
  );
}, 60_000);

it('says "an object" of any other object', async () => {
  expect(await refusal('options')).toBe(
    `wmflow replay: ${MODULE}#options: "options" is an object, not a function: export the handler flow() returns\n`,
  );
}, 60_000);

it('replays the handler beside them', async () => {
  const run = await wmflow(['replay', ONE, '--handler', MODULE, '--json']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('"DROP"');
}, 60_000);
