import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

// A spoof of a bank's p=reject domain as SES received it: SES's own Authentication-Results names the policy in the
// comment after the DMARC result, and its receipt carries it as `dmarcPolicy` (what guard-ses enforces, round 83).
const spoof = (authResults: string) =>
  [
    'Return-Path: <bounce@evil.example>',
    `Authentication-Results: ${authResults}`,
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    'From: Bank Alerts <alerts@bank.example>',
    'To: alice@corp.example',
    'Subject: Your account is locked',
    'Message-ID: <locked-1@evil.example>',
    'Date: Mon, 07 Dec 2026 01:00:00 +0000',
    '',
    'Sign in to unlock it.',
    '',
  ].join('\r\n');

const SES = 'amazonses.com; spf=fail smtp.mailfrom=evil.example; dkim=none;';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-ses-dmarc-'));
  const files: Record<string, string> = {
    'reject.eml': spoof(`${SES} dmarc=fail (p=REJECT sp=REJECT pct=100) header.from=bank.example;`),
    'quarantine.eml': spoof(`${SES} dmarc=fail (p=quarantine) header.from=bank.example;`),
    'none.eml': spoof(`${SES} dmarc=fail (p=NONE) header.from=bank.example;`),
    // Another server's header (one the sender may write) names no policy SES gave.
    'foreign.eml': spoof(
      `mx.evil.example; dmarc=fail (p=REJECT) header.from=bank.example\r\nAuthentication-Results: ${SES} dmarc=fail header.from=bank.example;`,
    ),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const replay = (...args: string[]) =>
  wmflow([
    'replay',
    '--engine',
    'ses',
    '--function',
    'guard-ses',
    '--env-file',
    'samples/expect/env.json',
    '--json',
    ...args,
  ]);

const verdictOf = (line: Record<string, unknown> | undefined) =>
  Object.values((line?.verdicts ?? {}) as Record<string, string>)[0];

describe('wmflow replay --engine ses: the sending domain’s DMARC policy reaches the receipt', () => {
  it('reads p= from SES’s Authentication-Results: reject bounces, quarantine junks, none delivers', async () => {
    const run = await replay(join(dir, 'reject.eml'), join(dir, 'quarantine.eml'), join(dir, 'none.eml'));
    const [reject, quarantine, none] = jsonLines(run.stdout);
    expect(verdictOf(reject)).toMatch(/^BOUNCE:.*DMARC/);
    expect(reject?.rulesFired).toContain('enforce-dmarc-policy');
    expect(verdictOf(quarantine)).toBe('MOVE_TO_JUNK');
    expect(verdictOf(none)).toBe('DEFAULT');
    expect(none?.rulesFired).not.toContain('enforce-dmarc-policy');
  });

  it('takes no policy from a header of another authserv-id', async () => {
    const run = await replay(join(dir, 'foreign.eml'));
    expect(verdictOf(jsonLines(run.stdout)[0])).toBe('DEFAULT');
  });

  it('--ses-verdict dmarc-policy= sets it, and only beside a DMARC FAIL', async () => {
    const failed = await replay('--ses-verdict', 'dmarc=FAIL,dmarc-policy=reject', join(dir, 'none.eml'));
    expect(verdictOf(jsonLines(failed.stdout)[0])).toMatch(/^BOUNCE:.*DMARC/);
    const passed = await replay('--ses-verdict', 'dmarc=PASS,dmarc-policy=reject', join(dir, 'reject.eml'));
    expect(verdictOf(jsonLines(passed.stdout)[0])).toBe('DEFAULT');
  });

  it('refuses a policy SES never gives', async () => {
    const run = await replay('--ses-verdict', 'dmarc-policy=block', join(dir, 'none.eml'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('dmarc-policy=none|quarantine|reject');
  });
});
