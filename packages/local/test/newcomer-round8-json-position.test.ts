import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonProblem } from '../src/replay/json-problem.js';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 8: a trailing comma in an env file or an expectation of several lines was refused, on Node 20, as
// `Expected double-quoted property name in JSON at position 55`: the writer had to count 55 characters to find it.
// The line and column are now said (Node 22 says them itself; they are not said twice).
const TRAILING_COMMA = '{\n  "Parameters": {\n    "JOURNAL_BUCKET": "journal",\n  }\n}\n';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r8-json-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-plain.eml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HANDLER = 'samples/lambdas/wire-transfer-blocker.ts';

it('an env file: says the line and column of the mistake', async () => {
  const env = join(dir, 'env.json');
  await writeFile(env, TRAILING_COMMA);
  const run = await wmflow([
    'replay',
    join(dir, '01-plain.eml'),
    '--handler',
    HANDLER,
    '--env-vars',
    env,
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(
    new RegExp(`^wmflow replay: environment file ${env}: .*\\(line 4 column 3\\)\\n$`),
  );
  expect(run.stderr.match(/line 4/g)).toHaveLength(1);
}, 60_000);

it('an expectation: says the line and column of the mistake', async () => {
  const sidecar = join(dir, '01-plain.expect.json');
  await writeFile(sidecar, '{\n  "verdicts": { "*": "DEFAULT" },\n}\n');
  const run = await wmflow(['replay', dir, '--handler', HANDLER, '--check', '--json']);
  await rm(sidecar);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(
    new RegExp(`^wmflow replay: cannot read expectations ${sidecar}: .*\\(line 3 column 1\\)\\n$`),
  );
}, 60_000);

it('keeps a message that already names its line, or no position', () => {
  expect(jsonProblem(new SyntaxError('x at position 3 (line 1 column 4)'), 'abcdef')).toBe(
    'x at position 3 (line 1 column 4)',
  );
  expect(jsonProblem(new SyntaxError('Unexpected end of JSON input'), '{')).toBe(
    'Unexpected end of JSON input',
  );
  expect(jsonProblem(new SyntaxError('bad at position 0'), '}')).toBe('bad at position 0 (line 1 column 1)');
});
