import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { BacktestSummary } from '../src/backtest/tally.js';
import type { BacktestLine } from '../src/backtest/types.js';
import { wmflow } from './replay-helpers.js';

export { ROOT, wmflow as run } from './replay-helpers.js';

/** The samples' configuration (`sam local invoke --env-vars` JSON). */
export const ENV = ['--env-file', 'samples/expect/env.json'];

/**
 * Journals samples/eml with the archiver (`wmflow replay --out dir`): the journal folder, and which
 * sample each journal key (relative to that folder) is a copy of.
 */
export async function journalSamples(
  dir: string,
): Promise<{ journal: string; sampleOf: Map<string, string> }> {
  const archived = await wmflow([
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
  const sampleOf = new Map<string, string>();
  for (const line of archived.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; journaled: string[] };
    const key = r.journaled.find((k) => !k.endsWith('.json')) as string;
    sampleOf.set(key.replace('s3://wmflow-journal/journal/', ''), r.file);
  }
  return { journal: join(dir, 's3', 'wmflow-journal', 'journal'), sampleOf };
}

/** `wmflow backtest <source> --function guard` with the samples' configuration and `extra` arguments, parsed. */
export async function backtestGuard(
  source: string,
  extra: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string; lines: BacktestLine[]; summary: BacktestSummary }> {
  const run = await wmflow(['backtest', source, '--function', 'guard', ...ENV, ...extra], env);
  return { code: run.code, stderr: run.stderr, ...parseBacktest(run.stdout) };
}

/** The message lines and the summary line of a backtest's stdout. */
export function parseBacktest(stdout: string): { lines: BacktestLine[]; summary: BacktestSummary } {
  const all = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as BacktestLine | BacktestSummary);
  const summary = all.at(-1);
  if (summary?.type !== 'summary') throw new Error(`no summary line last in:\n${stdout.slice(-500)}`);
  return { lines: all.slice(0, -1) as BacktestLine[], summary };
}

/** A line without what varies between runs (timings). */
export function stable(line: BacktestLine): Omit<BacktestLine, 'durationMs'> {
  const { durationMs: _, ...rest } = line;
  return rest;
}

/** The batch Lambda's configuration in the tests: the guard with the samples' settings (one per process). */
export async function guardBatchInit() {
  const samples = JSON.parse(await readFile('samples/expect/env.json', 'utf8')) as {
    GuardFunction: Record<string, string>;
  };
  return {
    candidate: { function: 'guard' },
    env: { ...samples.GuardFunction, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    organizationDomains: ['corp.example'],
    timeoutMs: 15_000,
    fallback: { type: 'DEFAULT' as const },
  };
}

/** An S3 client for the batch Lambda through `endpoint` (a fault proxy), one attempt a request: what it does with each answer. */
export function batchClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
}
