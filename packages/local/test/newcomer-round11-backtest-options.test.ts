import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseBacktest } from './backtest-helpers.js';
import { wmflow } from './replay-helpers.js';

// Newcomer round 11: moving a WorkMail policy to SES, a newcomer compared the SES handler with what was recorded.
// `--against=recorded` (the `--opt=value` spelling every other option takes) was refused with `unknown option
// --against (did you mean --against? …)`, which names the option it refuses as the fix; `--baseline recorded` (the
// word the report's JSON uses) and `--engine ses` (which replay needs for an SES handler) were refused with no hint.
const MESSAGE = [
  'From: Alice <alice@partner.example>',
  'To: bob@corp.example',
  'Subject: Lunch on Friday?',
  'Message-ID: <lunch-1@partner.example>',
  'Date: Mon, 1 Dec 2026 10:00:00 +0000',
  '',
  'Shall we?',
  '',
].join('\r\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-nc11-options-'));
  await writeFile(join(dir, 'm1'), MESSAGE);
  await writeFile(
    join(dir, 'm1.json'),
    JSON.stringify({
      messageId: 'm1',
      direction: 'INBOUND',
      envelope: { mailFrom: 'alice@partner.example', recipients: ['bob@corp.example'] },
      verdictsSoFar: { 'bob@corp.example': 'OPEN' },
      rulesFiredSoFar: [],
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SES_HANDLER = [
  '--handler',
  'samples/lambdas/wire-transfer-blocker-ses.ts',
  '--env-file',
  'samples/expect/env.json',
];

it('--against=recorded is --against recorded', async () => {
  const run = await wmflow(['backtest', dir, ...SES_HANDLER, '-j', '1', '--against=recorded']);
  expect(run.stderr).not.toMatch(/unknown option/);
  expect(run.code).toBe(0);
  const { lines, summary } = parseBacktest(run.stdout);
  expect(lines).toHaveLength(1);
  expect(summary.baseline?.label).toBe('recorded');
  expect(lines[0]?.candidate.verdicts).toEqual({ 'bob@corp.example': 'DEFAULT' });
}, 60_000);

it('--baseline recorded is refused with the option that does it', async () => {
  const run = await wmflow(['backtest', dir, ...SES_HANDLER, '--baseline', 'recorded']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/unknown option --baseline \(did you mean --against\?/);
});

it('--engine on backtest says the engine is the policy’s own', async () => {
  const run = await wmflow(['backtest', dir, ...SES_HANDLER, '--engine', 'ses']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/unknown option --engine/);
  expect(run.stderr).toMatch(/sesFlow handler|guard-ses/);
  expect(run.stderr).not.toMatch(/did you mean --engine/);
});

it('control: a misspelt option still gets its nearest, and --against recorded runs', async () => {
  const typo = await wmflow(['backtest', dir, ...SES_HANDLER, '--agaist', 'recorded']);
  expect(typo.code).toBe(1);
  expect(typo.stderr).toMatch(/did you mean --against\?/);
  const run = await wmflow(['backtest', dir, ...SES_HANDLER, '-j', '1', '--against', 'recorded']);
  expect(run.code).toBe(0);
  expect(parseBacktest(run.stdout).summary.baseline?.label).toBe('recorded');
}, 60_000);
