import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlowEvent } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, jsonLines, ROOT, wmflow } from './replay-helpers.js';

const ENV = ['--env-file', 'samples/expect/env.json'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-replay-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wmflow replay over the samples', () => {
  it.each([
    ['guard', ['--function', 'guard', '--expect', 'samples/expect/guard.expect.json']],
    [
      'outbound-policy',
      ['--function', 'outbound-policy', '--expect', 'samples/expect/outbound-policy.expect.json'],
    ],
    ['archiver', ['--function', 'archiver', '--expect', 'samples/expect/archiver.expect.json']],
    [
      'wire-transfer-blocker',
      [
        '--handler',
        'samples/lambdas/wire-transfer-blocker.ts',
        '--expect',
        'samples/expect/wire-transfer-blocker.expect.json',
      ],
    ],
  ])('%s: every expectation is met (exit 0)', async (_name, args) => {
    const run = await wmflow(['replay', ...args, ...ENV, '--check']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/expectations (\d+)\/\1 met/);
    expect(run.stdout).not.toContain('✗');
    expect(run.code).toBe(0);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('fails with a readable diff when an expectation is broken', async () => {
    const manifest = join(dir, 'broken.expect.json');
    const fixture = join(ROOT, 'samples/eml/04-ses-spam-virus.eml');
    await writeFile(
      manifest,
      JSON.stringify({
        fixtures: {
          [fixture]: { verdicts: { 'carol@corp.example': 'DEFAULT' }, rulesFired: [], rewritten: true },
          [join(ROOT, 'samples/eml/01-plain-text.eml')]: { verdicts: { '*': 'DEFAULT' } },
        },
      }),
    );
    const run = await wmflow(['replay', '--function', 'guard', ...ENV, '--expect', manifest, '--check']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('expectations 1/2 met');
    expect(run.stdout).toContain('✗ samples/eml/04-ses-spam-virus.eml');
    expect(run.stdout).toContain(
      'verdict of carol@corp.example: expected "DEFAULT", got "BOUNCE:Your message was not delivered: it was found to contain a virus."',
    );
    expect(run.stdout).toContain('rules fired: expected [], got ["enforce-ses-verdicts"]');
    expect(run.stdout).toContain('rewritten: expected true, got false');
  });
});

describe('wmflow replay --json', () => {
  it('prints one stable object per message', async () => {
    const run = await wmflow([
      'replay',
      'samples/eml/03-invoice-attachments.eml',
      'samples/eml/01-plain-text.eml',
      '--function',
      'guard',
      ...ENV,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const [bounced, tagged] = jsonLines(run.stdout);
    expect(Object.keys(bounced ?? {})).toEqual([
      'file',
      'messageId',
      'direction',
      'synchronous',
      'mailFrom',
      'recipients',
      'verdicts',
      'rulesFired',
      'rewritten',
      'journaled',
      'error',
      'durationMs',
      'check',
      'failures',
      'edit',
      'deadlineHit',
    ]);
    expect(bounced).toMatchObject({
      file: 'samples/eml/03-invoice-attachments.eml',
      direction: 'INBOUND',
      mailFrom: 'billing@vendor.example',
      recipients: ['bob@corp.example'],
      verdicts: { 'bob@corp.example': expect.stringMatching(/^BOUNCE:Your message was not delivered/) },
      rulesFired: ['block-attachments'],
      rewritten: null,
      journaled: [],
      error: null,
      check: null,
    });
    expect(bounced?.messageId).toMatch(/^[a-z0-9-]{1,120}$/);
    expect(tagged?.rewritten).toMatch(/^s3:\/\/wmflow-updates\/wmflow-updates\//);
    expect(typeof tagged?.durationMs).toBe('number');
  });
});

describe('wmflow command line: help, version, a reader that stops early', () => {
  it('prints the usage for --help after a command, and the version for --version', async () => {
    for (const command of ['replay', 'bundle', 'backtest']) {
      const run = await wmflow([command, '--help']);
      expect(run.code).toBe(0);
      // That command's usage alone (newcomer round 9), pointing at the whole one.
      expect(run.stderr).toMatch(new RegExp(`^usage: wmflow ${command} `));
      expect(run.stderr).toContain('wmflow --help lists every command');
    }
    const version = await wmflow(['--version']);
    expect(version.code).toBe(0);
    const { version: expected } = JSON.parse(
      await readFile(join(ROOT, 'packages/local/package.json'), 'utf8'),
    );
    expect(version.stdout.trim()).toBe(expected);
  });

  it('ends without a stack trace and with a failing exit code when stdout is closed early', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [...FROM_SOURCE, 'replay', 'samples/eml', '--function', 'guard', ...ENV, '--json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('wmflow replay with a misspelt function name', () => {
  it('knows every function of the repository by name', async () => {
    const { existsSync, readdirSync } = await import('node:fs');
    const { PREBUILT_FUNCTIONS } = await import('../src/replay/handler.js');
    const here = readdirSync(join(ROOT, 'functions')).filter((d) =>
      existsSync(join(ROOT, 'functions', d, 'index.ts')),
    );
    expect([...PREBUILT_FUNCTIONS]).toEqual(here.sort());
  });
  it('takes the environment file as --env-vars (sam local invoke’s name), which no Node reads itself', async () => {
    const one = join(ROOT, 'samples/eml/01-plain-text.eml');
    const given = await wmflow([
      'replay',
      one,
      '--function',
      'guard',
      '--env-vars',
      'samples/expect/env.json',
      '--json',
    ]);
    expect(jsonLines(given.stdout)[0]).toMatchObject({ error: null, rulesFired: ['tag-external'] });
    // Node 20 stops at a missing `--env-file` before wmflow runs (`node: FILE: not found`); `--env-vars` is ours.
    const missing = await wmflow([
      'replay',
      one,
      '--function',
      'guard',
      '--env-vars',
      join(dir, 'none.json'),
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`environment file ${join(dir, 'none.json')}: ENOENT`);
    const both = await wmflow(['replay', one, '--function', 'guard', ...ENV, '--env-vars', 'x.json']);
    expect(both.stderr).toContain('--env-vars and --env-file name the same file: give one');
  });
  it('says which engine a prebuilt function runs on when it is given the other', async () => {
    const one = join(ROOT, 'samples/eml/01-plain-text.eml');
    const ses = await wmflow(['replay', one, '--function', 'guard-ses']);
    expect([ses.code, ses.stderr]).toEqual([
      1,
      'wmflow replay: --function guard-ses runs on SES receipt rules: add --engine ses\n',
    ]);
    const workmail = await wmflow(['replay', one, '--engine', 'ses', '--function', 'guard']);
    expect(workmail.stderr).toBe(
      'wmflow replay: --function guard runs on WorkMail: on SES it is --function guard-ses\n',
    );
  });
  it('says an sesFlow handler replayed on WorkMail is for --engine ses', async () => {
    const one = join(ROOT, 'samples/eml/01-plain-text.eml');
    const handler = join(ROOT, 'samples/lambdas/wire-transfer-blocker-ses.ts');
    const run = await wmflow(['replay', one, '--handler', handler, '--json', '--allow-failures']);
    const line = JSON.parse(run.stdout.trim().split('\n')[0] as string);
    expect(line.error.name).toBe('InvalidResponse');
    expect(line.error.message).toContain('replay an sesFlow handler with --engine ses');
  });
  it('backtests an SES policy on SES against its WorkMail twin: only what SES cannot do differs', async () => {
    const run = await wmflow([
      'backtest',
      'samples/eml',
      '--function',
      'guard-ses',
      '--against',
      '--function',
      'guard',
      ...ENV,
      '-j',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const messages = lines.filter((l) => l.type === 'message');
    expect(messages.length).toBeGreaterThan(15);
    // Every verdict agrees; what differs is the subject tag and banner, a rewrite SES has no way to deliver.
    expect(messages.flatMap((l) => l.diff.verdicts)).toEqual([]);
    const edited = messages.filter((l) => l.diff.edit !== null);
    expect(edited.length).toBeGreaterThan(5);
    for (const l of edited)
      expect(l.diff.edit).toMatchObject({ before: expect.stringMatching(/^committed/), after: 'none' });
    expect(messages.filter((l) => l.candidate.error !== null)).toEqual([]);
    // Sent mail never reaches a receipt rule: the SES policy skips it (delivered as it was).
    const sent = messages.filter((l) => l.direction === 'OUTBOUND');
    expect(sent.length).toBeGreaterThan(0);
    for (const l of sent)
      expect(l.candidate.skipped).toBe('sent mail: SES receipt rules see received mail only');
    // Bounces were sent through the local SES, from the local bounce sender (no BOUNCE_SENDER given).
    const bounced = messages.filter((l) =>
      Object.values(l.candidate.verdicts).some((v) => String(v).startsWith('BOUNCE')),
    );
    expect(bounced.length).toBeGreaterThan(0);
  }, 120_000);
  it('backtests an sesFlow handler (--handler) on SES, reading each message where STORED_BUCKET says', async () => {
    const handler = join(ROOT, 'samples/lambdas/wire-transfer-blocker-ses.ts');
    const journal = join(dir, 'ses-journal');
    const { mkdir, copyFile } = await import('node:fs/promises');
    await mkdir(journal);
    await copyFile(join(ROOT, 'samples/eml/05-ceo-impersonation.eml'), join(journal, 'ceo.eml'));
    const run = await wmflow([
      'backtest',
      journal,
      '--handler',
      handler,
      '--env',
      'STORED_BUCKET=corp-inbound-mail',
      '-j',
      '1',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [line] = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line.candidate).toMatchObject({ error: null, rulesFired: ['block-wire-transfer-requests'] });
    expect(Object.values(line.candidate.verdicts)).toEqual(['DROP']);
  }, 60_000);
  it('shows a rule in audit mode as such: marked in the table, what it would have settled in the JSON', async () => {
    const exe = join(ROOT, 'samples/eml/attachment-exe-in-zip-name.eml');
    const audit = ['--function', 'guard', ...ENV, '--env', 'AUDIT_MODE=attachments'];
    const json = jsonLines((await wmflow(['replay', exe, ...audit, '--json'])).stdout)[0];
    expect(Object.values(json?.verdicts as object)).toEqual(['DEFAULT']);
    expect(json?.audited).toEqual([
      { rule: 'block-attachments', wouldSettle: { 'ap@corp.example': expect.stringMatching(/^BOUNCE:/) } },
    ]);
    expect((await wmflow(['replay', exe, ...audit])).stdout).toContain('block-attachments(audit');
  });
  it('says what an option lacks: --against without its policy, --ses-verdict without SES, a file for a journal', async () => {
    const one = join(ROOT, 'samples/eml/01-plain-text.eml');
    const cases: [string[], string][] = [
      [
        ['backtest', 'samples', '--function', 'guard', '--against', 'foo'],
        '--against: give recorded, --function NAME or --handler MODULE right after it',
      ],
      [
        ['replay', one, '--function', 'guard', '--ses-verdict', 'spam=FAIL'],
        '--ses-verdict sets what SES concluded: it needs --engine ses',
      ],
      [['backtest', one, '--function', 'guard'], 'a file; give the folder of a journal'],
    ];
    for (const [args, said] of cases) {
      const r = await wmflow(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(said);
    }
  });
  it('names the prebuilt functions instead of asking to install a package', async () => {
    const run = await wmflow(['replay', 'samples/eml', '--function', 'gaurd']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'no such prebuilt function; the prebuilt functions are archiver, archiver-ses, guard, guard-ses, outbound-policy',
    );
  });
});

describe('wmflow replay over malformed fixtures', () => {
  it('gives each a defined outcome and goes on', async () => {
    const bad = join(dir, 'bad');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(bad);
    await writeFile(join(bad, 'a-empty.eml'), '');
    await writeFile(
      join(bad, 'b-garbage.eml'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
    );
    await writeFile(
      join(bad, 'c-no-body.eml'),
      'From: x@partner.example\r\nTo: y@corp.example\r\nSubject: no body\r\n',
    );
    await writeFile(join(bad, 'd-good.eml'), await readFile(join(ROOT, 'samples/eml/01-plain-text.eml')));
    const run = await wmflow(['replay', bad, '--function', 'guard', ...ENV, '--json']);
    const lines = jsonLines(run.stdout);
    expect(lines.map((l) => String(l.file).split('/').pop())).toEqual([
      'a-empty.eml',
      'b-garbage.eml',
      'c-no-body.eml',
      'd-good.eml',
    ]);
    for (const line of lines) {
      expect(Object.values(line.verdicts as object).length).toBeGreaterThan(0);
      expect(line.error === null || typeof (line.error as { name: string }).name === 'string').toBe(true);
    }
    expect(lines[3]).toMatchObject({ error: null, rulesFired: ['tag-external'] });
    // An empty read is a read that went wrong (WorkMail has no empty message): the invocation fails, to be retried.
    expect(lines[0]?.error).toMatchObject({ message: expect.stringMatching(/answered no bytes/) });
    expect(lines[0]?.edit).toMatchObject({ status: 'none' });
    // The one of header fields alone is delivered as it is: a read cut after a header line looks the same, and a
    // tag committed on it would replace the whole message.
    expect(lines[2]?.edit).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/ends inside its header block/),
    });
    expect(Object.values(lines[2]?.verdicts as object)).toEqual(['DEFAULT']);
    // The garbage one begins with a control byte, as no message does (WorkMail's begin with its own header fields):
    // what answered is not the message (a page from something in between, fault round 47), so the invocation
    // fails, to be retried, as for the empty one.
    expect(lines[1]?.error).toMatchObject({ message: expect.stringMatching(/no message begins with/) });
    expect(lines[1]?.edit).toMatchObject({ status: 'none' });
    expect(run.code).toBe(1); // the failed invocation of the empty one
  });

  it('survives handlers that throw, hang or answer garbage', async () => {
    const module = join(dir, 'bad-handlers.mjs');
    await writeFile(
      module,
      [
        'export const throws = async () => { throw new TypeError("boom"); };',
        'export const hangs = () => new Promise(() => {});',
        'export const garbage = async () => ({ actions: [{ action: { type: "EXPLODE" } }] });',
        'export const logs = async () => { console.log("noise on stdout"); return { actions: [{ action: { type: "DROP" }, allRecipients: true }] }; };',
      ].join('\n'),
    );
    const fixture = 'samples/eml/01-plain-text.eml';
    const run = async (name: string, extra: string[] = []) =>
      wmflow(['replay', fixture, '--handler', `${module}#${name}`, '--json', ...extra]);
    const [threw, hung, junk, noisy] = await Promise.all([
      run('throws'),
      run('hangs', ['--timeout', '300']),
      run('garbage'),
      run('logs'),
    ]);
    expect(jsonLines(threw.stdout)[0]?.error).toEqual({ name: 'TypeError', message: 'boom' });
    expect(threw.code).toBe(1);
    expect(jsonLines(hung.stdout)[0]?.error).toMatchObject({ name: 'HandlerTimeout' });
    expect(jsonLines(junk.stdout)[0]?.error).toMatchObject({ name: 'InvalidResponse' });
    expect(jsonLines(junk.stdout)[0]?.verdicts).toEqual({ 'dev@corp.example': 'DEFAULT' });
    expect(jsonLines(noisy.stdout)).toHaveLength(1);
    expect(jsonLines(noisy.stdout)[0]?.verdicts).toEqual({ 'dev@corp.example': 'DROP' });
    expect(noisy.code).toBe(0);
  });
});

describe('wmflow replay --out', () => {
  it('writes each committed rewrite, its diff, and a copy of every S3 object', async () => {
    const out = join(dir, 'out');
    const run = await wmflow([
      'replay',
      'samples/eml/01-plain-text.eml',
      'samples/eml/04-ses-spam-virus.eml',
      '--function',
      'guard',
      ...ENV,
      '--out',
      out,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const [tagged, bounced] = jsonLines(run.stdout);
    expect(tagged?.rewritten).toBe(join(out, '01-plain-text.eml'));
    expect(bounced?.rewritten).toBeNull();
    const rewrite = await readFile(join(out, '01-plain-text.eml'));
    expect(rewrite.toString('latin1')).toContain('Subject: [EXTERNAL] Release notes for 4.2');
    const diff = await readFile(join(out, '01-plain-text.diff'), 'utf8');
    expect(diff).toContain('-Subject: Release notes for 4.2\n+Subject: [EXTERNAL] Release notes for 4.2');
    // The staged update in S3 is byte-identical to what the emulator committed.
    const { readdir } = await import('node:fs/promises');
    const staged = (await readdir(join(out, 's3'), { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    expect(staged).toHaveLength(1);
    const copy = await readFile(join(staged[0]?.parentPath ?? '', staged[0]?.name ?? ''));
    expect(copy.equals(rewrite)).toBe(true);
  });

  it('copies journaled objects byte for byte', async () => {
    const out = join(dir, 'journal-out');
    const run = await wmflow([
      'replay',
      'samples/eml/07-latin1-8bit.eml',
      '--function',
      'archiver',
      ...ENV,
      '--out',
      out,
      '--json',
    ]);
    const [line] = jsonLines(run.stdout);
    const journaled = ((line?.journaled ?? []) as string[]).find((k) => !k.endsWith('.json')) ?? '';
    const copy = await readFile(join(out, 's3', journaled.replace('s3://', '')));
    expect(copy.equals(await readFile(join(ROOT, 'samples/eml/07-latin1-8bit.eml')))).toBe(true);
  });
});

describe('wmflow event', () => {
  it('prints an event parseFlowEvent accepts, envelope from the headers', async () => {
    const run = await wmflow([
      'event',
      'samples/eml/06-outbound-card-numbers.eml',
      '--org-domain',
      'corp.example',
    ]);
    expect(run.code).toBe(0);
    const event = parseFlowEvent(JSON.parse(run.stdout));
    expect(event).toMatchObject({
      flowDirection: 'OUTBOUND',
      envelope: {
        mailFrom: { address: 'dan@corp.example' },
        recipients: [{ address: 'orders@shop.example' }, { address: 'eve@corp.example' }],
      },
      subject: 'Card details for the order',
      truncated: false,
    });
  });

  it('keeps only organization recipients inbound, cuts the subject at 256, and takes overrides', async () => {
    const long = join(dir, 'long.eml');
    await writeFile(
      long,
      `From: a@x.example\r\nTo: b@corp.example, c@other.example\r\nSubject: ${'s'.repeat(300)}\r\n\r\nhi\r\n`,
    );
    const inbound = parseFlowEvent(
      JSON.parse((await wmflow(['event', long, '--org-domain', 'corp.example'])).stdout),
    );
    expect(inbound.envelope.recipients).toEqual([{ address: 'b@corp.example' }]);
    expect(inbound.subject).toHaveLength(256);
    const given = parseFlowEvent(
      JSON.parse(
        (await wmflow(['event', long, '--direction', 'OUTBOUND', '--recipient', 'z@y.example'])).stdout,
      ),
    );
    expect(given).toMatchObject({
      flowDirection: 'OUTBOUND',
      envelope: { recipients: [{ address: 'z@y.example' }] },
    });
  });
});
