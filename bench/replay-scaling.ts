import { rm } from 'node:fs/promises';
import { replayRun, writeMessages } from './lib/replay-run.js';
import { type Summary, summarize } from './lib/stats.js';

/** `wmflow replay -j N` over the same messages at each worker count. */
export interface ReplayScalingResult {
  messages: number;
  /** One row per worker count, in the order measured. */
  rows: { jobs: number; perSecond: Summary; totalSeconds: Summary }[];
}

/**
 * Replays `count` mixed messages through the guard at `-j 1` and `-j 2`, `runs` times each (interleaved, so
 * drifting load on a shared machine hits both alike). Throughput is counted from the first result line to the
 * last (the handler loaded, as in a long replay); the whole command's time is reported beside it.
 */
export async function replayScaling(runs: number, count = 1000, jobs = [1, 2]): Promise<ReplayScalingResult> {
  const dir = await writeMessages(count);
  const perSecond = new Map<number, number[]>(jobs.map((j) => [j, []]));
  const totals = new Map<number, number[]>(jobs.map((j) => [j, []]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const j of jobs) {
        const r = await replayRun(dir, 'guard', j);
        if (r.lines !== count) throw new Error(`replay -j ${j}: ${r.lines}/${count} lines, exit ${r.code}`);
        perSecond.get(j)?.push(r.steadyPerSecond);
        totals.get(j)?.push(r.seconds);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    messages: count,
    rows: jobs.map((j) => ({
      jobs: j,
      perSecond: summarize(perSecond.get(j) ?? []),
      totalSeconds: summarize(totals.get(j) ?? []),
    })),
  };
}
