import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 7: JSON written on Windows (Notepad, PowerShell 5's `Out-File -Encoding utf8`) starts with a
// byte order mark and ends its lines with CRLF. An expectation or environment file so written was refused with
// `Unexpected token '<U+FEFF>', "<U+FEFF>{ …" is not valid JSON`, the culprit invisible. And an environment file written as a
// dotenv file (`KEY=VALUE` lines) was refused with `Unexpected token 'F', "FOO=1" is not valid JSON`, which did not
// say what the file should hold.
const BOM = '\uFEFF';
const EML = join(ROOT, 'samples/eml/01-plain-text.eml');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-win-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('reads an expectation file with a byte order mark and CRLF line endings', async () => {
  const mail = join(dir, 'mail');
  await mkdir(mail);
  await copyFile(EML, join(mail, '01.eml'));
  await writeFile(join(mail, '01.expect.json'), `${BOM}{\r\n  "verdicts": { "*": "DEFAULT" }\r\n}\r\n`);
  const run = await wmflow([
    'replay',
    mail,
    '--handler',
    'samples/lambdas/wire-transfer-blocker.ts',
    '--check',
    '--json',
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(jsonLines(run.stdout)[0]?.check).toMatchObject({ ok: true });
}, 60_000);

it('reads an environment file with a byte order mark', async () => {
  const env = join(dir, 'env-bom.json');
  await writeFile(env, `${BOM}{"Parameters": {"ORGANIZATION_DOMAINS": "corp.example"}}\r\n`);
  const run = await wmflow(['replay', EML, '--function', 'guard', '--env-vars', env, '--json']);
  expect(run.stderr).not.toContain('not valid JSON');
  expect(run.code).toBe(0);
}, 60_000);

it('says what an environment file holds when given KEY=VALUE lines', async () => {
  const env = join(dir, '.env');
  await writeFile(env, 'UPDATES_BUCKET=updates\r\nORGANIZATION_DOMAINS=corp.example\r\n');
  const run = await wmflow(['replay', EML, '--function', 'guard', '--env-file', env]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: environment file ${env}: KEY=VALUE lines (a .env file) are not its format: ` +
      'it is the JSON of sam local invoke --env-vars, {"Parameters": {"UPDATES_BUCKET": "updates"}}; ' +
      'or give each variable as --env UPDATES_BUCKET=updates\n',
  );
}, 60_000);
