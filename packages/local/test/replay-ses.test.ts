import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSesEvent } from '@wmflow/core/ses';
import { describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

const ENV = ['--env-file', 'samples/expect/env.json'];
/** The SES guard over some fixtures, as JSON lines. */
const guardJson = (...args: string[]) =>
  wmflow(['replay', '--engine', 'ses', '--function', 'guard-ses', ...ENV, '--json', ...args]);

describe('wmflow replay --engine ses over the samples', () => {
  it.each([
    // The same policy module on both engines: the WorkMail manifests hold unchanged where outcomes agree…
    [
      'wire-transfer-blocker',
      [
        '--handler',
        'samples/lambdas/wire-transfer-blocker-ses.ts',
        '--expect',
        'samples/expect/wire-transfer-blocker.expect.json',
      ],
    ],
    ['archiver-ses', ['--function', 'archiver-ses', '--expect', 'samples/expect/archiver.expect.json']],
    // …and the guard has its own, since tagging (a rewrite) does not exist on SES.
    ['guard-ses', ['--function', 'guard-ses', '--expect', 'samples/expect/guard-ses.expect.json']],
  ])('%s: every expectation is met (exit 0)', async (_name, args) => {
    const run = await wmflow(['replay', '--engine', 'ses', ...args, ...ENV, '--check']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/expectations (\d+)\/\1 met/);
    expect(run.stdout).not.toContain('✗');
    expect(run.code).toBe(0);
  });

  it('reports the disposition and the SendBounce the emulation recorded, per message', async () => {
    const run = await guardJson(
      'samples/eml/04-ses-spam-virus.eml',
      'samples/eml/01-plain-text.eml',
      'samples/eml/external-spam-verdict.eml',
    );
    expect(run.code).toBe(0);
    const [virus, clean, spam] = jsonLines(run.stdout);
    expect(virus).toMatchObject({
      engine: 'ses',
      disposition: 'STOP_RULE_SET',
      verdicts: {
        'carol@corp.example': 'BOUNCE:Your message was not delivered: it was found to contain a virus.',
      },
      rulesFired: ['enforce-ses-verdicts'],
    });
    expect(clean).toMatchObject({ disposition: 'CONTINUE', rewritten: null, error: null });
    expect(Object.values(clean?.verdicts as object)).toEqual(['DEFAULT']);
    expect(spam).toMatchObject({ disposition: 'STOP_RULE' });
  });

  it('guard-ses with no BOUNCE_SENDER set: a local bounce sender, said on stderr, and the bounce is sent', async () => {
    const run = await wmflow([
      'replay',
      '--engine',
      'ses',
      '--function',
      'guard-ses',
      '--json',
      'samples/eml/04-ses-spam-virus.eml',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('wmflow replay: local defaults BOUNCE_SENDER=postmaster@wmflow-local.example\n');
    expect(jsonLines(run.stdout)[0]).toMatchObject({
      disposition: 'STOP_RULE_SET',
      bounce: { status: 'sent', recipients: ['carol@corp.example'] },
    });
  });

  it('--ses-verdict overrides what the headers say', async () => {
    const run = await guardJson('--ses-verdict', 'virus=FAIL', 'samples/eml/01-plain-text.eml');
    expect(jsonLines(run.stdout)[0]).toMatchObject({
      disposition: 'STOP_RULE_SET',
      rulesFired: ['enforce-ses-verdicts'],
    });
  });

  it('refuses outbound replays on SES, and bad verdict flags', async () => {
    const outbound = await wmflow([
      'replay',
      '--engine',
      'ses',
      '--function',
      'guard-ses',
      '--direction',
      'OUTBOUND',
      'samples/eml',
    ]);
    expect(outbound.code).toBe(1);
    expect(outbound.stderr).toContain('inbound mail only');
    const bad = await wmflow([
      'event',
      '--engine',
      'ses',
      '--ses-verdict',
      'virus=MAYBE',
      'samples/eml/plain.eml',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--ses-verdict');
  });

  it('wmflow event --engine ses prints a valid SES event with verdicts from the headers', async () => {
    const run = await wmflow(['event', '--engine', 'ses', 'samples/eml/04-ses-spam-virus.eml']);
    expect(run.code).toBe(0);
    const ses = parseSesEvent(JSON.parse(run.stdout));
    expect(ses.receipt).toMatchObject({
      recipients: ['carol@corp.example'],
      virusVerdict: { status: 'FAIL' },
      spamVerdict: { status: 'FAIL' },
      spfVerdict: { status: 'FAIL' },
      dmarcVerdict: { status: 'FAIL' },
      action: { type: 'Lambda', invocationType: 'RequestResponse' },
    });
    expect(ses.mail.commonHeaders.subject).toBe('You have WON!!!');
  });

  it('--out copies what the function journaled, not what SES stored on receipt', async () => {
    const out = await mkdtemp(join(tmpdir(), 'wmflow-ses-out-'));
    try {
      const run = await wmflow([
        'replay',
        '--engine',
        'ses',
        '--function',
        'archiver-ses',
        ...ENV,
        'samples/eml/07-latin1-8bit.eml',
        '--out',
        out,
        '--json',
      ]);
      expect(run.code).toBe(0);
      const journaled = (jsonLines(run.stdout)[0]?.journaled ?? []) as string[];
      // The archiver's copy and its metadata; the message SES stored on receipt (wmflow-inbound) is not the function's.
      expect(journaled).toHaveLength(2);
      expect(journaled.every((uri) => uri.startsWith('s3://wmflow-journal/'))).toBe(true);
      const copy = journaled.find((uri) => !uri.endsWith('.json'));
      expect(copy).toMatch(/^s3:\/\//);
      const bytes = await readFile(join(out, 's3', (copy as string).replace('s3://', '')));
      expect(bytes.equals(await readFile(join(ROOT, 'samples/eml/07-latin1-8bit.eml')))).toBe(true);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
