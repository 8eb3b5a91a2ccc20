import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, wmflow } from './replay-helpers.js';

// Newcomer round 11: porting a WorkMail rule that bounces into the project `wmflow init --engine ses` writes, `npm
// test` said `bounce not sent (no bounceSender configured): bob@corp.example dropped, the sender is not told` and
// nothing about where a bounce sender comes from: the scaffold's handler reads BOUNCE_SENDER, which its stack sets
// and a local replay does not. The line now says what to give.
let dir: string;
let handler: string;
const MESSAGE = [
  'From: Helpdesk <helpdesk@scam.example>',
  'To: bob@corp.example',
  'Subject: Verify your account',
  'Message-ID: <scam-1@scam.example>',
  '',
  'Click here.',
  '',
].join('\r\n');

beforeAll(async () => {
  dir = await mkdtemp(join(ROOT, 'packages/local/test/fixtures/.newcomer-r11-bounce-'));
  handler = join(dir, 'handler.ts');
  // The scaffold's SES handler as init writes it, with a rule that bounces.
  await copyFile(join(ROOT, 'packages/local/templates/init-ses/src/handler.ts'), handler);
  await writeFile(
    join(dir, 'rules.ts'),
    [
      "import { type Rule, Verdicts } from '@wmflow/core';",
      "import { blockSenders } from '@wmflow/rules';",
      "export const rules: Rule<'INBOUND'>[] = [",
      "  blockSenders({ senders: ['scam.example'], verdict: Verdicts.bounce('Not accepted.') }),",
      '];',
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'scam.eml'), MESSAGE);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a bounce not sent for want of a bounce sender says how to give one', async () => {
  const run = await wmflow(['replay', join(dir, 'scam.eml'), '--engine', 'ses', '--handler', handler]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/bounce not sent \(no bounceSender configured\)/);
  expect(run.stdout).toMatch(/sesFlow\(\{ bounceSender \}\).*--env BOUNCE_SENDER=/);
}, 60_000);

it('control: given BOUNCE_SENDER, the bounce is sent and nothing more is said', async () => {
  const run = await wmflow([
    'replay',
    join(dir, 'scam.eml'),
    '--engine',
    'ses',
    '--handler',
    handler,
    '--env',
    'BOUNCE_SENDER=postmaster@corp.example',
    '--json',
  ]);
  expect(run.code).toBe(0);
  const line = JSON.parse(run.stdout.trim()) as {
    verdicts: Record<string, string>;
    bounce: { status: string };
  };
  expect(line.verdicts).toEqual({ 'bob@corp.example': 'BOUNCE:Not accepted.' });
  expect(line.bounce.status).toBe('sent');
}, 60_000);
