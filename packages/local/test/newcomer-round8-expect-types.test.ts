import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpectationBook } from '../src/replay/expect.js';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 8: an expectation field of the wrong type was taken as it came. `"rulesFired": "junk-newsletters"`
// (a name, not a list of names) was compared letter by letter: `rules fired: expected ["-","e","e","e","j",…],
// got []`; `"journaled": "2"`, `"rewritten": "yes"`, `"recipients": "a@corp.example"` failed or passed in ways
// the file did not say. Each is now refused when the expectation is read, naming the field and the form it takes.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r8-expect-'));
  await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-plain.eml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('refuses rulesFired given as one name, saying to write a list', async () => {
  const sidecar = join(dir, '01-plain.expect.json');
  await writeFile(sidecar, JSON.stringify({ verdicts: { '*': 'DEFAULT' }, rulesFired: 'junk-newsletters' }));
  const run = await wmflow([
    'replay',
    dir,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--check',
    '--json',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: ${sidecar}: rulesFired: a list of rule names, ["junk-newsletters"] (got "junk-newsletters")\n`,
  );
  await rm(sidecar);
}, 60_000);

describe('fields of the wrong type', () => {
  const cases: [string, unknown, string][] = [
    [
      'recipients',
      'a@corp.example',
      'recipients: a list of addresses, ["a@corp.example"] (got "a@corp.example")',
    ],
    ['mailFrom', ['a@corp.example'], 'mailFrom: an address, "a@corp.example" (got ["a@corp.example"])'],
    ['rewritten', 'yes', 'rewritten: true or false (got "yes")'],
    ['subjectPrefix', true, 'subjectPrefix: the text the Subject starts with (got true)'],
    ['journaled', '2', 'journaled: true, false or a number of objects (got "2")'],
    ['error', null, "error: true, false, or the error's name or part of its message (got null)"],
    [
      'failures',
      'tag-external',
      'failures: true, false, a count, or a list of rule names, ["tag-external"] (got "tag-external")',
    ],
    ['deadlineHit', 'false', 'deadlineHit: true or false (got "false")'],
    [
      'headers',
      ['X-Corp'],
      'headers: an object: header name → value, true (present) or false (absent) (got ["X-Corp"])',
    ],
    ['headers', { 'X-Corp': 1 }, 'headers["X-Corp"]: a value, true (present) or false (absent) (got 1)'],
    [
      'edit',
      'done',
      'edit: none, committed, skipped, failed or unknown, or { "status": …, "reason": … } (got "done")',
    ],
    ['edit', { status: 'committed', reason: 3 }, 'edit.reason: a part of the reason (got 3)'],
  ];
  for (const [field, value, message] of cases)
    it(`${field}: ${JSON.stringify(value)}`, async () => {
      const manifest = join(dir, `m-${field}.json`);
      await writeFile(manifest, JSON.stringify({ fixtures: { '01-plain.eml': { [field]: value } } }));
      await expect(ExpectationBook.load([manifest])).rejects.toThrow(`${manifest}: 01-plain.eml: ${message}`);
    });

  it('takes every field in its documented form', async () => {
    const manifest = join(dir, 'm-all.json');
    const all = {
      direction: 'INBOUND',
      mailFrom: 'a@outside.example',
      recipients: ['b@corp.example'],
      verdicts: { '*': 'DEFAULT' },
      rulesFired: ['tag-external'],
      rewritten: true,
      subjectPrefix: '[EXTERNAL]',
      headers: { 'X-Corp': 'yes', 'X-Other': true, 'X-Gone': false, 'X-None': null },
      journaled: 2,
      error: false,
      failures: ['x'],
      edit: { status: 'committed', reason: 'x' },
      deadlineHit: false,
      description: 'every field',
    };
    await writeFile(manifest, JSON.stringify({ fixtures: { '01-plain.eml': all } }));
    const book = await ExpectationBook.load([manifest]);
    expect(await book.lookup(join(dir, '01-plain.eml'))).toEqual(all);
    for (const other of [{ journaled: true }, { error: 'ConfigError' }, { failures: 0 }, { edit: 'none' }]) {
      await writeFile(manifest, JSON.stringify({ fixtures: { '01-plain.eml': other } }));
      await expect(ExpectationBook.load([manifest])).resolves.toBeDefined();
    }
  });
});
