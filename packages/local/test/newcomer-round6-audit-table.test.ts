import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 6: a rule put in audit mode is there to show what it would do, but the replay table showed it
// only as `<name>(audit)` at the end of the RULES FIRED cell, which is cut at 24 characters: behind a pilot rule
// the row read `move-to-junk,bounce(au…` or less, and nothing said whom the audited rule would have bounced
// (only --json had `audited`).
const FIXTURE = join(ROOT, 'packages/local/test/fixtures/newcomer-round6-audit.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r6-audit-'));
  await writeFile(
    join(dir, 'falcon.eml'),
    [
      'From: Eve <eve@outside.example>',
      'To: Alice <alice@corp.example>, Bob <bob@corp.example>',
      'Subject: lunch',
      'Message-ID: <falcon@outside.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Lunch, and a word about Project Falcon?',
      '',
    ].join('\r\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('the table run says, below the rows, what each audited rule would have settled', async () => {
  const run = await wmflow(['replay', dir, '--handler', FIXTURE]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(
    `~ ${join(dir, 'falcon.eml')}: rule bounce (audit) would settle bob@corp.example BOUNCE:Not outside.; nothing applied`,
  );
  // The pilot group decided for alice only; the audited bounce changed nobody.
  expect(run.stdout).toContain('JUNK×1 DEFAULT×1');
});

it('--json keeps stdout to the JSON lines (the audit is in the line)', async () => {
  const run = await wmflow(['replay', dir, '--handler', FIXTURE, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const line = JSON.parse(run.stdout);
  expect(line.audited).toEqual([
    { rule: 'bounce', wouldSettle: { 'bob@corp.example': 'BOUNCE:Not outside.' } },
  ]);
  expect(run.stdout).not.toContain('~ ');
});
