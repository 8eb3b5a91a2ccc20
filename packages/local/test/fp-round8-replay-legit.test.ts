import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// False-positive round 8 on newcomer round 6 (an env file with a top-level value that is no object, a folder with no
// message file and an expectation verdict that is none are refused): the ordinary uses stay taken. A mail folder whose
// messages sit in subfolders only (by year and month, as an export writes them), with sidecar expectations there and
// a folder manifest, `BOUNCE:<message>` and `BOUNCE` expectations, and the SAM `--env-vars` file of a whole stack
// (`Parameters` beside every function's section, one of them empty).
const BOUNCE =
  'BOUNCE:Your message was not sent: it contains payment card or bank account (IBAN) numbers, which must not be sent by email outside the organization. Remove them and send the message again, or use an approved secure channel.';
let dir: string;
let env: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-fp8-replay-'));
  const month = join(dir, 'mail', '2026', '12');
  await mkdir(month, { recursive: true });
  await mkdir(join(dir, 'mail', 'notes'));
  await writeFile(join(dir, 'mail', 'notes', 'README.md'), 'exported from the archive\n');
  await copyFile(join(ROOT, 'samples/eml/06-outbound-card-numbers.eml'), join(month, 'card.eml'));
  await copyFile(join(ROOT, 'samples/eml/10-outbound-reply.eml'), join(month, 'reply.eml'));
  await writeFile(
    join(month, 'card.expect.json'),
    JSON.stringify({ verdicts: { 'orders@shop.example': BOUNCE, '*': 'BOUNCE' } }),
  );
  await writeFile(
    join(month, 'wmflow.expect.json'),
    JSON.stringify({ fixtures: { 'reply.eml': { verdicts: { '*': 'DEFAULT' }, error: false } } }),
  );
  env = join(dir, 'env.json');
  await writeFile(
    env,
    JSON.stringify({
      Parameters: { ORGANIZATION_DOMAINS: 'corp.example' },
      GuardFunction: { UPDATES_BUCKET: 'wmflow-updates', PROTECTED_NAMES: 'Jane Doe' },
      OutboundPolicyFunction: { UPDATES_BUCKET: 'wmflow-updates', DISCLAIMER_TEXT: 'Confidential.' },
      ArchiverFunction: {},
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('checks messages found in subfolders only, with BOUNCE:<message> expectations, under a SAM env file', async () => {
  const run = await wmflow([
    'replay',
    join(dir, 'mail'),
    '--function',
    'outbound-policy',
    '--direction',
    'OUTBOUND',
    '--env-vars',
    env,
    '--check',
  ]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('expectations 2/2 met');
  expect(run.stderr).not.toMatch(/is no verdict|is a variable|no message file/);
});

it('takes the same env file for the guard, whose section is another one', async () => {
  const run = await wmflow([
    'replay',
    join(dir, 'mail', '2026'),
    '--function',
    'guard',
    '--env-file',
    env,
    '--json',
  ]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.trim().split('\n')).toHaveLength(2);
});
