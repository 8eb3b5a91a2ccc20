import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLine } from '../src/backtest/pool.js';
import type { BacktestLine } from '../src/backtest/types.js';
import { backtestGuard, ENV, journalSamples, parseBacktest, ROOT, run, stable } from './backtest-helpers.js';

const BLOCKER = 'samples/lambdas/wire-transfer-blocker.ts';
const AGAINST_BLOCKER = ['--against', '--handler', BLOCKER];
let dir: string;
let journal: string;
/** Journal key (relative to the journal folder) → the sample it is a copy of. */
let sampleOf: Map<string, string>;
/** Sample → verdicts of a plain `wmflow replay` of the guard. */
const replayed = new Map<string, Record<string, string>>();
let j1: Awaited<ReturnType<typeof backtestGuard>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-backtest-test-'));
  ({ journal, sampleOf } = await journalSamples(dir));
  const guard = await run(['replay', 'samples/eml', '--function', 'guard', ...ENV, '--json']);
  for (const line of guard.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; verdicts: Record<string, string> };
    replayed.set(r.file, r.verdicts);
  }
  j1 = await backtestGuard(journal, ['-j', '1', ...AGAINST_BLOCKER]);
  expect(j1.stderr).toBe('');
  expect(j1.code).toBe(0);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bySample = (lines: BacktestLine[], sample: string) =>
  lines.find((l) => sampleOf.get(l.key) === `samples/eml/${sample}`) as BacktestLine;

describe('wmflow backtest over a journal written by the archiver', () => {
  it('replays every journaled message with its recorded envelope, as replay does', async () => {
    expect(j1.lines.map((l) => l.key)).toEqual([...sampleOf.keys()].sort());
    for (const line of j1.lines) {
      expect(line.envelope).toBe('recorded');
      expect(line.candidate.label).toBe('guard');
      expect(line.candidate.verdicts).toEqual(replayed.get(sampleOf.get(line.key) as string));
    }
    const virus = bySample(j1.lines, '04-ses-spam-virus.eml');
    expect(Object.values(virus.candidate.verdicts)[0]).toMatch(/^BOUNCE:.*virus/);
    expect(virus.candidate.rulesFired).toEqual(['enforce-ses-verdicts']);
    const tagged = bySample(j1.lines, '01-plain-text.eml');
    expect(tagged.candidate.edit.status).toBe('committed');
    expect(tagged.candidate.edit.changes).toContain('prefix Subject with [EXTERNAL]');
    // The envelope is the recorded one, not one re-derived from the headers.
    const names = await readdir(journal, { recursive: true });
    const meta = JSON.parse(
      await readFile(join(journal, names.find((n) => n === `${tagged.key}.json`) as string), 'utf8'),
    ) as { envelope: { mailFrom: string; recipients: string[] }; direction: string };
    expect([tagged.mailFrom, tagged.recipients, tagged.direction]).toEqual([
      meta.envelope.mailFrom,
      meta.envelope.recipients,
      meta.direction,
    ]);
  });

  it('reports the difference with the --against policy per recipient', () => {
    for (const line of j1.lines) {
      const baseline = line.baseline as NonNullable<BacktestLine['baseline']>;
      expect(baseline.label).toBe(`${BLOCKER}#handler`);
      const expected = Object.keys(line.candidate.verdicts)
        .filter((r) => line.candidate.verdicts[r] !== baseline.verdicts[r])
        .map((r) => ({ recipient: r, before: baseline.verdicts[r], after: line.candidate.verdicts[r] }));
      expect(line.diff?.verdicts).toEqual(expected);
    }
    const wire = j1.lines.filter((l) => l.baseline?.rulesFired.includes('block-wire-transfer-requests'));
    expect(wire.length).toBeGreaterThan(0);
    for (const line of wire) {
      expect(line.diff?.changed).toBe(true);
      expect(line.diff?.rules.removed).toContain('block-wire-transfer-requests');
    }
  });

  it('ends with a summary that adds up the lines', () => {
    const { lines, summary } = j1;
    expect(summary.messages).toBe(lines.length);
    expect(summary.workers).toBe(1);
    expect(summary.changed).toBe(lines.filter((l) => l.diff?.changed).length);
    const verdicts = lines.flatMap((l) => Object.values(l.candidate.verdicts));
    expect(summary.candidate.verdicts.BOUNCE).toBe(verdicts.filter((v) => v.startsWith('BOUNCE')).length);
    const edited = lines.filter((l) => l.candidate.edit.status === 'committed');
    expect(summary.candidate.edited).toBe(edited.length);
    expect(summary.baseline?.rulesFired['block-wire-transfer-requests']).toBeGreaterThan(0);
    // The outbound samples: the inbound guard does not run for them, and the summary says how many.
    const skipped = lines.filter((l) => l.candidate.skipped).length;
    expect(skipped).toBeGreaterThan(0);
    expect(summary.candidate.skipped).toBe(skipped);
    expect(summary.candidate.editFailures).toBe(
      lines.filter((l) => l.candidate.edit.status === 'failed').length,
    );
  });

  it('gives the same lines, in the same order, with -j 2', async () => {
    const j2 = await backtestGuard(journal, ['-j', '2', ...AGAINST_BLOCKER]);
    expect(j2.code).toBe(0);
    expect(j2.lines.map(stable)).toEqual(j1.lines.map(stable));
    const timeless = { durationMs: 0, messagesPerSecond: 0 };
    expect({ ...j2.summary, ...timeless, workers: 1 }).toEqual({ ...j1.summary, ...timeless });
  }, 120_000);

  it('compares with the verdicts recorded at journaling time', async () => {
    // Run options after the baseline, as docs/backtest.md writes them, are the run's.
    const { lines, summary } = await backtestGuard(journal, ['--against', 'recorded', '-j', '2']);
    for (const line of lines) {
      expect(line.baseline?.label).toBe('recorded');
      // The archiver decides nothing: every recipient was open, so DEFAULT.
      expect(Object.values(line.baseline?.verdicts ?? {}).every((v) => v === 'DEFAULT')).toBe(true);
      const notDefault = Object.entries(line.candidate.verdicts).filter(([, v]) => v !== 'DEFAULT');
      expect(line.diff?.verdicts.map((d) => d.recipient)).toEqual(notDefault.map(([r]) => r));
    }
    expect(summary.baseline?.label).toBe('recorded');
    expect(summary.workers).toBe(2);
    // Edits are not recorded: a tagged message whose verdicts match is not "changed".
    expect(bySample(lines, '01-plain-text.eml').diff?.changed).toBe(false);
  }, 120_000);

  it('counts a failed edit among the failed messages, and per policy', async () => {
    const handler = 'packages/local/test/fixtures/tag-unbucketed.ts';
    const { summary, lines } = parseBacktest(
      (await run(['backtest', journal, '--handler', handler, '-j', '1'])).stdout,
    );
    const failedEdits = lines.filter((l) => l.candidate.edit.status === 'failed').length;
    expect(failedEdits).toBeGreaterThan(0);
    expect(summary.candidate.editFailures).toBe(failedEdits);
    expect(summary.failed).toBe(failedEdits);
  }, 60_000);

  it('gives a prebuilt function its local bucket when none is set, as replay does', async () => {
    const out = await run([
      'backtest',
      journal,
      '--function',
      'guard',
      '--org-domain',
      'corp.example',
      '-j',
      '1',
    ]);
    expect(out.stderr).toBe('');
    const { summary } = parseBacktest(out.stdout);
    expect(summary.candidate.errors).toBe(0);
    expect(summary.candidate.edited).toBeGreaterThan(0); // tagged: staged in wmflow-local-updates
  }, 60_000);

  it('--resume skips the messages already in the output and counts them in the summary', async () => {
    const previous = join(dir, 'previous.jsonl');
    const kept = j1.lines.slice(0, 5).map((l) => JSON.stringify(l));
    await writeFile(previous, `${kept.join('\n')}\n{"type":"message","key":"cut sho`);
    const { lines, summary } = await backtestGuard(journal, ['-j', '2', '--resume', previous]);
    expect(lines.map((l) => l.key)).toEqual(j1.lines.slice(5).map((l) => l.key));
    expect(summary.messages).toBe(j1.lines.length);
    expect(summary.resumed).toBe(5);
  }, 120_000);
});

describe('wmflow backtest --resume after messages that could not be read', () => {
  it('tries them again: their lines of the earlier run count as not done', async () => {
    const previous = join(dir, 'previous-failed.jsonl');
    const [first, second, ...rest] = j1.lines.slice(0, 5);
    const unread = failedLine(second?.key as string, { name: 'TimeoutError', message: 'read timed out' });
    const kept = [first, unread, ...rest].map((l) => JSON.stringify(l));
    await writeFile(previous, `${kept.join('\n')}\n`);
    const { lines, summary } = await backtestGuard(journal, ['-j', '1', '--resume', previous]);
    const retried = lines.find((l) => l.key === second?.key);
    expect(retried?.candidate).toMatchObject({ label: 'guard', error: null });
    expect(retried?.candidate.verdicts).toEqual(second?.candidate.verdicts);
    expect(lines.map((l) => l.key)).toEqual([second, ...j1.lines.slice(5)].map((l) => l?.key));
    expect(summary.messages).toBe(j1.lines.length);
    expect(summary.resumed).toBe(4);
  }, 120_000);
});

describe('wmflow backtest with rate rules', () => {
  it('counts by the time each message was journaled, and warns when workers count apart', async () => {
    const burst = join(dir, 'burst');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(burst, { recursive: true });
    // Six messages of one sender: four within an hour, then two the next day.
    const times = ['10:00', '10:10', '10:20', '10:30', '10:40', '10:50'].map((t, i) =>
      i < 4 ? `2026-10-05T${t}:00Z` : `2026-10-06T${t}:00Z`,
    );
    for (const [i, at] of times.entries()) {
      const key = `m${i}`;
      await writeFile(
        join(burst, key),
        `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: ${i}\r\n\r\nhi\r\n`,
      );
      const envelope = { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] };
      await writeFile(
        join(burst, `${key}.json`),
        JSON.stringify({ key, direction: 'INBOUND', envelope, journaledAt: at }),
      );
    }
    const handler = 'packages/local/test/fixtures/rate-limited.ts';
    const one = await run(['backtest', burst, '--handler', handler, '-j', '1']);
    const { lines, summary } = parseBacktest(one.stdout);
    // Replayed in a second, but only the fourth message of the first hour is over the limit.
    expect(lines.map((l) => Object.values(l.candidate.verdicts)[0]?.split(':')[0])).toEqual([
      'DEFAULT',
      'DEFAULT',
      'DEFAULT',
      'BOUNCE',
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(summary.candidate.rateCounted).toBe(6);
    expect(one.stderr).toBe('');
    const two = await run(['backtest', burst, '--handler', handler, '-j', '2']);
    expect(two.stderr).toContain('each with its own counters: run -j 1');
  }, 120_000);
});

describe('wmflow backtest s3:// without an AWS configuration', () => {
  it('says what is missing, without a stack trace', async () => {
    const out = await run(['backtest', 's3://acme-journal/journal/', '--function', 'guard'], {
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'wmflow backtest: no AWS region: set AWS_REGION (or AWS_PROFILE, with a profile that names one)\n',
    );
  });
});

describe('wmflow backtest --resume appended to the file it resumes', () => {
  it('starts its first line on a line of its own after a line cut short', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const { spawn } = await import('node:child_process');
    const { FROM_SOURCE } = await import('./replay-helpers.js');
    const file = join(dir, 'appended.jsonl');
    await writeFile(
      file,
      `${j1.lines
        .slice(0, 3)
        .map((l) => JSON.stringify(l))
        .join('\n')}\n{"type":"message","key":"cut`,
    );
    const fd = openSync(file, 'a'); // `… --resume appended.jsonl >> appended.jsonl`
    const args = ['backtest', journal, '--function', 'guard', ...ENV, '-j', '1', '--resume', file];
    const child = spawn(process.execPath, [...FROM_SOURCE, ...args], {
      cwd: ROOT,
      stdio: ['ignore', fd, 'ignore'],
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    closeSync(fd);
    expect(code).toBe(0);
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    const parsed = lines.slice(4).map((l) => JSON.parse(l) as BacktestLine & { type: string });
    // Every line after the cut one reads, and each message is there once.
    expect(parsed.filter((l) => l.type === 'message').map((l) => l.key)).toEqual(
      j1.lines.slice(3).map((l) => l.key),
    );
  }, 120_000);
});

describe('wmflow backtest: audit-safe', () => {
  it('answers every AWS call of a policy locally: S3 by the emulated S3, other services refused', async () => {
    const handler = 'packages/local/test/fixtures/reach-aws.ts';
    const out = await run(['backtest', journal, '--handler', handler, '-j', '1'], {
      AWS_PROFILE: 'production',
      AWS_ENDPOINT_URL: 'https://example.invalid',
    });
    const lines = out.stdout.trim().split('\n').slice(0, -1);
    expect(lines.length).toBe(sampleOf.size);
    for (const line of lines) {
      const { candidate } = JSON.parse(line) as BacktestLine;
      expect(candidate.error?.message).toBe('sfn BacktestAuditSafe; s3 wmflow-local');
    }
  }, 120_000);
});
