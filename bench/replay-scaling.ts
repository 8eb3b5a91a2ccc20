import { rm } from 'node:fs/promises';
import { replayRun, writeMessages } from './lib/replay-run.js';
import { spin } from './lib/spin.js';
import { type Summary, summarize } from './lib/stats.js';

/** `wmflow replay -j N` over the same messages at each worker count. */
export interface ReplayScalingResult {
  messages: number;
  /** One row per worker count, in the order measured. */
  rows: { jobs: number; perSecond: Summary; totalSeconds: Summary; coresBusy: Summary }[];
  /**
   * What this machine gives two CPU-bound processes at once, as a multiple of one alone (2.0: two free
   * cores; 1.0: one), measured just before: the ceiling for the replay's scaling in this run.
   */
  cpuScaling: Summary;
  /**
   * Two `-j 1` replays run at once, each in its own process with its own emulators (no pool, no parent), their
   * msg/s added, as a multiple of the `-j 1` median: what this machine gives two copies of this very workload,
   * memory and caches included, which a spinning loop does not touch. `-j 2` near it loses nothing to the pool.
   */
  pairScaling?: Summary;
}

/** Two spinning processes against one: how much parallel CPU the machine has right now. */
async function cpuScaling(): Promise<number> {
  const alone = await spin();
  const both = await Promise.all([spin(), spin()]);
  return (2 * alone) / Math.max(...both);
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
  const cores = new Map<number, number[]>(jobs.map((j) => [j, []]));
  const cpu: number[] = [];
  const pairs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      cpu.push(await cpuScaling());
      for (const j of jobs) {
        const r = await replayRun(dir, 'guard', j);
        if (r.lines !== count) throw new Error(`replay -j ${j}: ${r.lines}/${count} lines, exit ${r.code}`);
        perSecond.get(j)?.push(r.steadyPerSecond);
        totals.get(j)?.push(r.seconds);
        if (r.cpuSeconds > 0) cores.get(j)?.push(r.cpuSeconds / r.seconds);
      }
      const both = await Promise.all([replayRun(dir, 'guard', 1), replayRun(dir, 'guard', 1)]);
      if (both.some((r) => r.lines !== count)) throw new Error('replay -j 1 pair: lines missing');
      pairs.push(both.reduce((sum, r) => sum + r.steadyPerSecond, 0));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const alone = summarize(perSecond.get(1) ?? []).median;
  return {
    messages: count,
    cpuScaling: summarize(cpu),
    pairScaling: summarize(pairs.map((rate) => rate / alone)),
    rows: jobs.map((j) => ({
      jobs: j,
      perSecond: summarize(perSecond.get(j) ?? []),
      totalSeconds: summarize(totals.get(j) ?? []),
      coresBusy: summarize(cores.get(j) ?? []),
    })),
  };
}
