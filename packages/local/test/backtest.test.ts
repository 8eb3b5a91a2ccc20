import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestLine } from '../src/backtest/types.js';
import { parseBacktest, run, stable } from './backtest-helpers.js';

const ENV = ['--env-file', 'samples/expect/env.json'];
const BLOCKER = 'samples/lambdas/wire-transfer-blocker.ts';
let dir: string;
let journal: string;
/** Journal key (relative to the journal folder) → the sample it is a copy of. */
const sampleOf = new Map<string, string>();
/** Sample → verdicts of a plain `wmflow replay` of the guard. */
const replayed = new Map<string, Record<string, string>>();
let j1: ReturnType<typeof parseBacktest>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-backtest-test-'));
  const archived = await run([
    'replay',
    'samples/eml',
    '--function',
    'archiver',
    ...ENV,
    '--out',
    dir,
    '--json',
  ]);
  expect(archived.code).toBe(0);
  journal = join(dir, 's3', 'wmflow-journal', 'journal');
  for (const line of archived.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; journaled: string[] };
    const key = r.journaled.find((k) => !k.endsWith('.json')) as string;
    sampleOf.set(key.replace('s3://wmflow-journal/journal/', ''), r.file);
  }
  const guard = await run(['replay', 'samples/eml', '--function', 'guard', ...ENV, '--json']);
  for (const line of guard.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; verdicts: Record<string, string> };
    replayed.set(r.file, r.verdicts);
  }
  const first = await run([
    'backtest',
    journal,
    '--function',
    'guard',
    ...ENV,
    '-j',
    '1',
    '--against',
    '--handler',
    BLOCKER,
  ]);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  j1 = parseBacktest(first.stdout);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bySample = (lines: BacktestLine[], sample: string) =>
  lines.find((l) => sampleOf.get(l.key) === `samples/eml/${sample}`) as BacktestLine;

describe('wmflow backtest over a journal written by the archiver', () => {
  it('replays every journaled message with its recorded envelope, as replay does', () => {
    const files = [...sampleOf.keys()].sort();
    expect(j1.lines.map((l) => l.key)).toEqual(files);
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
    const bounced = lines
      .flatMap((l) => Object.values(l.candidate.verdicts))
      .filter((v) => v.startsWith('BOUNCE'));
    expect(summary.candidate.verdicts.BOUNCE).toBe(bounced.length);
    expect(summary.candidate.edited).toBe(
      lines.filter((l) => l.candidate.edit.status === 'committed').length,
    );
    expect(summary.baseline?.rulesFired['block-wire-transfer-requests']).toBeGreaterThan(0);
  });

  it('gives the same lines, in the same order, with -j 2', async () => {
    const two = await run([
      'backtest',
      journal,
      '--function',
      'guard',
      ...ENV,
      '-j',
      '2',
      '--against',
      '--handler',
      BLOCKER,
    ]);
    expect(two.code).toBe(0);
    const j2 = parseBacktest(two.stdout);
    expect(j2.lines.map(stable)).toEqual(j1.lines.map(stable));
    expect({ ...j2.summary, workers: 1, durationMs: 0, messagesPerSecond: 0 }).toEqual({
      ...j1.summary,
      durationMs: 0,
      messagesPerSecond: 0,
    });
  }, 120_000);

  it('compares with the verdicts recorded at journaling time', async () => {
    const recorded = await run([
      'backtest',
      journal,
      '--function',
      'guard',
      ...ENV,
      '-j',
      '2',
      '--against',
      'recorded',
    ]);
    const { lines, summary } = parseBacktest(recorded.stdout);
    for (const line of lines) {
      expect(line.baseline?.label).toBe('recorded');
      // The archiver decides nothing: every recipient was open, so DEFAULT.
      expect(Object.values(line.baseline?.verdicts ?? {}).every((v) => v === 'DEFAULT')).toBe(true);
      const notDefault = Object.entries(line.candidate.verdicts).filter(([, v]) => v !== 'DEFAULT');
      expect(line.diff?.verdicts.map((d) => d.recipient)).toEqual(notDefault.map(([r]) => r));
    }
    expect(summary.baseline?.label).toBe('recorded');
    // Edits are not recorded: a tagged message whose verdicts match is not "changed".
    expect(bySample(lines, '01-plain-text.eml').diff?.changed).toBe(false);
  }, 120_000);

  it('--resume skips the messages already in the output and counts them in the summary', async () => {
    const previous = join(dir, 'previous.jsonl');
    const kept = j1.lines.slice(0, 5);
    await writeFile(
      previous,
      `${kept.map((l) => JSON.stringify(l)).join('\n')}\n{"type":"message","key":"cut sho`,
    );
    const rest = await run([
      'backtest',
      journal,
      '--function',
      'guard',
      ...ENV,
      '-j',
      '2',
      '--resume',
      previous,
    ]);
    const { lines, summary } = parseBacktest(rest.stdout);
    expect(lines.map((l) => l.key)).toEqual(j1.lines.slice(5).map((l) => l.key));
    expect(summary.messages).toBe(j1.lines.length);
    expect(summary.resumed).toBe(5);
  }, 120_000);
});

describe('wmflow backtest: audit-safe', () => {
  it('answers every AWS call of a policy locally: S3 by the emulated S3, other services refused', async () => {
    const out = await run(
      ['backtest', journal, '--handler', 'packages/local/test/fixtures/reach-aws.ts', '-j', '1'],
      {
        AWS_PROFILE: 'production',
        AWS_ENDPOINT_URL: 'https://example.invalid',
      },
    );
    const { lines } = parseBacktest(out.stdout);
    expect(lines.length).toBe(sampleOf.size);
    for (const line of lines) {
      expect(line.candidate.error?.message).toBe('sfn BacktestAuditSafe; s3 wmflow-local');
    }
  }, 120_000);
});

it('journal keys: the folder holds a metadata object beside each message', async () => {
  const names = await readdir(journal, { recursive: true });
  const metadata = names.filter((n) => n.endsWith('.json'));
  expect(metadata.length).toBe(sampleOf.size);
  const one = JSON.parse(await readFile(join(journal, metadata[0] as string), 'utf8')) as {
    envelope: unknown;
  };
  expect(one.envelope).toBeTypeOf('object');
  expect(relative(dir, journal)).toBe(join('s3', 'wmflow-journal', 'journal'));
});
