import type { ColdStartResult } from '../cold-start.js';
import type { ReplayScalingResult } from '../replay-scaling.js';
import { ratio, type Summary } from './stats.js';

export interface Metrics {
  wallMs: Summary;
  cpuMs: Summary;
  maxRssMB: Summary;
  bytesIn: Summary;
  /** Runs whose committed rewrite kept the untouched attachment byte for byte, e.g. `5/5`. */
  attachmentPreserved?: string;
  /** Runs whose process failed (e.g. out of memory in a 128 MB heap), and why. */
  failed?: string;
}

export interface SingleResult {
  kind: 'single';
  scenario: string;
  size: number;
  wmflow: Metrics;
  baseline: Metrics;
  floor?: Metrics;
  /** The streamed-PutObject copy (informative; the budgets are against `floor`). */
  streamFloor?: Metrics;
  /** The streamed copy plus the metadata object after it: issue 15's journal design at its least (informative). */
  designFloor?: Metrics;
}

export interface ThroughputResult {
  kind: 'throughput';
  scenario: string;
  messages: number;
  wmflow: ThroughputMetrics;
  baseline: ThroughputMetrics;
  /** The message downloaded and nothing else (informative: the ceiling every policy shares). */
  floor?: ThroughputMetrics;
}

export interface ThroughputMetrics {
  perSecond: Summary;
  maxRssMB: Summary;
  /** CPU of the handler's process (all its threads) per message. */
  handlerCpuMs?: Summary;
  /** CPU of the handler's main thread alone per message (the rest is V8 compiling and collecting on others). */
  mainThreadCpuMs?: Summary;
  /** CPU of the emulators (the bench's parent process) per message, while this handler ran. */
  emulatorCpuMs?: Summary;
  /** msg/s over the second half of the messages only, once the process's hot code is compiled. */
  secondHalfPerSecond?: Summary;
}

export type ColdStartResultRow = ColdStartResult & { kind: 'cold-start' };

export type ReplayScalingRow = ReplayScalingResult & { kind: 'replay-scaling'; scenario: string };

export type Result = SingleResult | ThroughputResult | ColdStartResultRow | ReplayScalingRow;

const fmt = (m: Summary, digits = 1) =>
  `${m.median.toFixed(digits)} (${m.min.toFixed(digits)}–${m.max.toFixed(digits)})`;

/** The Markdown tables of a run: one row per scenario and metric, with ratios. */
export function markdown(
  results: readonly Result[],
  runs: number,
  cpuReference?: { startMs: number; endMs: number },
): string {
  const single = results.filter((r): r is SingleResult => r.kind === 'single');
  const rows = single.flatMap((r) =>
    (['wallMs', 'cpuMs', 'maxRssMB', 'bytesIn'] as const).map((k) => {
      const digits = k === 'bytesIn' ? 0 : 1;
      const floor = r.floor ? fmt(r.floor[k], digits) : '–';
      const vsFloor = r.floor ? ratio(r.wmflow[k].median, r.floor[k].median) : '–';
      const stream = r.streamFloor ? fmt(r.streamFloor[k], digits) : '–';
      const vsStream = r.streamFloor ? ratio(r.wmflow[k].median, r.streamFloor[k].median) : '–';
      const design = r.designFloor ? fmt(r.designFloor[k], digits) : '–';
      const vsDesign = r.designFloor ? ratio(r.wmflow[k].median, r.designFloor[k].median) : '–';
      return `| ${r.scenario} | ${k} | ${fmt(r.wmflow[k], digits)} | ${fmt(r.baseline[k], digits)} | ${ratio(r.wmflow[k].median, r.baseline[k].median)} | ${floor} | ${vsFloor} | ${stream} | ${vsStream} | ${design} | ${vsDesign} |`;
    }),
  );
  const preserved = single
    .filter((r) => r.wmflow.attachmentPreserved)
    .map(
      (r) =>
        `${r.scenario}: the untouched attachment's bytes are in the committed message in ${r.wmflow.attachmentPreserved} wmflow runs and ${r.baseline.attachmentPreserved} baseline runs.`,
    );
  const failed = single.flatMap((r) =>
    (['wmflow', 'baseline', 'floor', 'streamFloor', 'designFloor'] as const).flatMap((side) => {
      const m = r[side];
      return m?.failed ? [`${r.scenario}: ${side} failed in ${m.failed}.`] : [];
    }),
  );
  const throughput = results
    .filter((r): r is ThroughputResult => r.kind === 'throughput')
    .map(
      (r) =>
        `| ${r.scenario} | ${fmt(r.wmflow.perSecond)} | ${fmt(r.baseline.perSecond)} | ${ratio(r.wmflow.perSecond.median, r.baseline.perSecond.median)} | ${fmt(r.wmflow.maxRssMB)} | ${fmt(r.baseline.maxRssMB)} | ${r.floor ? `${fmt(r.floor.perSecond)} | ${ratio(r.floor.perSecond.median, r.baseline.perSecond.median)}` : '– | –'} |`,
    );
  const cpuRows = results
    .filter((r): r is ThroughputResult => r.kind === 'throughput')
    .flatMap((r) => {
      const w = r.wmflow;
      const b = r.baseline;
      if (!w.handlerCpuMs || !b.handlerCpuMs || !w.emulatorCpuMs || !b.emulatorCpuMs) return [];
      const late =
        w.secondHalfPerSecond && b.secondHalfPerSecond
          ? `${fmt(w.secondHalfPerSecond)} vs ${fmt(b.secondHalfPerSecond)}: ${ratio(w.secondHalfPerSecond.median, b.secondHalfPerSecond.median)}`
          : '–';
      const main =
        w.mainThreadCpuMs && b.mainThreadCpuMs
          ? `${fmt(w.mainThreadCpuMs, 2)} | ${fmt(b.mainThreadCpuMs, 2)} | ${ratio(b.mainThreadCpuMs.median, w.mainThreadCpuMs.median)}`
          : '– | – | –';
      return [
        `| ${r.scenario} | ${fmt(w.handlerCpuMs, 2)} | ${fmt(b.handlerCpuMs, 2)} | ${ratio(b.handlerCpuMs.median, w.handlerCpuMs.median)} | ${main} | ${fmt(w.emulatorCpuMs, 2)} | ${fmt(b.emulatorCpuMs, 2)} | ${late} |`,
      ];
    });
  const cold = results.filter((r): r is ColdStartResultRow => r.kind === 'cold-start');
  const baseline = cold.find((r) => r.name.startsWith('baseline'));
  const coldRows = cold.map(
    (r) =>
      `| ${r.name} | ${(r.initialBytes / 1024).toFixed(0)} | ${(r.totalBytes / 1024).toFixed(0)} | ${fmt(r.initMs)} | ${fmt(r.firstInvocationMs)} | ${fmt(r.coldMs)} | ${baseline ? ratio(r.coldMs.median, baseline.coldMs.median) : '–'} |`,
  );
  return [
    `Median (min–max) of ${runs} runs; each run is a fresh \`node\` process running the handler, bundled as`,
    '`wmflow bundle` ships a Lambda (every handler alike), with the emulators in the parent process; the handlers',
    'of a scenario take turns, run by run. The process handles one message to warm up, then the measured one: wallMs,',
    'cpuMs and bytesIn (what the handler read from its sockets) are that warm invocation; maxRssMB is the',
    "process's peak RSS (VmHWM) over both. The floor is a raw streaming copy of the same bytes from the Message",
    "Flow API into S3 with the SDK's lib-storage Upload (5 MiB parts), as issue 15 set its budgets against; the",
    'streamed floor is the fastest raw copy we know: the response streamed into one PutObject of the announced',
    "length (what wmflow's journal now does, without its hash, spool and metadata); the design floor is that",
    "copy hashed, then the metadata object once S3 has acknowledged the copy: issue 15's journal design at its",
    'least, with no spool, retry, read-back or framework. Cold starts (module init + first invocation, each',
    'bundle and the eager baseline taking turns, run by run) are the last table. Every process runs with the',
    `V8 heap flags Lambda derives from a ${process.env.BENCH_MEMORY_MB ?? 128} MB function (BENCH_MEMORY_MB).`,
    ...(cpuReference
      ? [
          `The machine's speed in this run: a fixed CPU-bound loop took ${cpuReference.startMs.toFixed(0)} ms before the`,
          `scenarios and ${cpuReference.endMs.toFixed(0)} ms after them (a busier host stretches the CPU-bound handlers more than the floors).`,
        ]
      : []),
    '',
    '| scenario | metric | wmflow | baseline | wmflow/baseline | floor | wmflow/floor | streamed floor | wmflow/streamed | design floor | wmflow/design |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...preserved,
    ...failed,
    '',
    '| throughput scenario | wmflow msg/s | baseline msg/s | wmflow/baseline | wmflow peak RSS MB | baseline peak RSS MB | floor msg/s (download alone, no rule) | floor/baseline |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...throughput,
    ...(cpuRows.length > 0
      ? [
          '',
          "Where a message's time goes in the throughput scenario: CPU per message of the handler's process (all its",
          'threads), and of its main thread alone (the rest is V8 compiling hot code and collecting garbage on',
          'background threads, which on a 2-core machine compete with the main thread and the emulators); CPU of the',
          'emulators serving it (GetRawMessageContent, in the parent process), which both handlers wait for alike;',
          'and the throughput of the second half of the messages alone, by when each process has compiled its hot',
          'code (V8 compiles on background threads as functions get hot, one by one):',
          '',
          '| throughput scenario | wmflow handler CPU ms/msg | baseline handler CPU ms/msg | baseline/wmflow | wmflow main thread CPU ms/msg | baseline main thread CPU ms/msg | baseline/wmflow (main thread) | emulator CPU ms/msg (wmflow run) | emulator CPU ms/msg (baseline run) | second half only, msg/s: wmflow vs baseline (informative) |',
          '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
          ...cpuRows,
        ]
      : []),
    '',
    '| cold start (fresh process) | initial KiB | total KiB | init ms | first invocation ms | init + first ms | vs baseline |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...coldRows,
    ...replayRows(results),
  ].join('\n');
}

/** `wmflow replay -j N` rows: msgs/s from the first result to the last, the whole command, scaling vs -j 1. */
function replayRows(results: readonly Result[]): string[] {
  const scaling = results.find((r): r is ReplayScalingRow => r.kind === 'replay-scaling');
  if (!scaling) return [];
  const one = scaling.rows.find((r) => r.jobs === 1);
  return [
    '',
    `${scaling.scenario} (\`wmflow replay --json\` from source; msg/s counted from the first result line to the last;`,
    `two CPU-bound processes ran ${fmt(scaling.cpuScaling, 2)}× as fast as one on this machine in this run, and two`,
    `independent -j 1 replays at once ${scaling.pairScaling ? fmt(scaling.pairScaling, 2) : '–'}× as fast as one alone: the ceilings):`,
    '',
    '| workers | msg/s | whole command s | cores busy (CPU s / wall s, all threads and workers) | msg/s vs -j 1 |',
    '| --- | --- | --- | --- | --- |',
    ...scaling.rows.map(
      (r) =>
        `| ${r.jobs} | ${fmt(r.perSecond)} | ${fmt(r.totalSeconds)} | ${r.coresBusy ? fmt(r.coresBusy, 2) : '–'} | ${one ? ratio(r.perSecond.median, one.perSecond.median) : '–'} |`,
    ),
    '',
    'One replay process keeps more than one core busy: besides its main thread, V8 compiles hot code and collects',
    'garbage on background threads, and libuv writes files on its pool. On a machine with C cores, N workers',
    'spending the CPU per message of -j 1 can at most be C / (cores busy at -j 1) times as fast as one process;',
    'workers that fill every core start with lazier V8 tiering, which spends less (docs/replay.md, -j N).',
  ];
}

/**
 * The budgets `npm run bench -- --check` enforces (issue 15), each a ratio against the baseline or the raw-copy
 * floor measured in the same run; each miss says by how much.
 */
export function budgetMisses(results: readonly Result[]): string[] {
  const misses: string[] = [];
  const single = (name: string) =>
    results.find((r): r is SingleResult => r.kind === 'single' && r.scenario.startsWith(name));
  const within = (what: string, value: number, limit: number, design?: number) => {
    if (value <= limit) return;
    const least = design === undefined ? '' : `; the design floor itself: ${design.toFixed(3)}`;
    misses.push(`${what}: ${value.toFixed(3)} (budget ≤ ${limit}${least})`);
  };
  const header = single('header-only rule, 25 MB');
  if (header) {
    if (header.wmflow.bytesIn.max > 64 * 1024)
      misses.push(`header-only 25 MB read ${header.wmflow.bytesIn.max} bytes (budget ≤ 65536)`);
    within(
      'header-only 25 MB wall / baseline',
      header.wmflow.wallMs.median / header.baseline.wallMs.median,
      0.02,
    );
  }
  const budgets: Array<[string, { floorWall: number; baselineWall: number }]> = [
    ['journal to S3, 1 MB', { floorWall: 1.1, baselineWall: 1.0 }],
    ['journal to S3, 25 MB', { floorWall: 1.1, baselineWall: 1.0 }],
    ['banner + subject tag, 25 MB', { floorWall: 1.5, baselineWall: 0.7 }],
  ];
  for (const [name, budget] of budgets) {
    const r = single(name);
    if (!r) continue;
    if (r.wmflow.failed) misses.push(`${name}: wmflow failed in ${r.wmflow.failed}`);
    // What the same budget would say of the design floor: how much of a miss the design itself asks for.
    const design = (reference: Metrics) =>
      r.designFloor ? r.designFloor.wallMs.median / reference.wallMs.median : undefined;
    const wall = r.wmflow.wallMs.median;
    within(
      `${name} wall / baseline`,
      wall / r.baseline.wallMs.median,
      budget.baselineWall,
      design(r.baseline),
    );
    if (!r.floor) continue;
    within(`${name} wall / floor`, wall / r.floor.wallMs.median, budget.floorWall, design(r.floor));
    within(`${name} peak RSS / floor`, r.wmflow.maxRssMB.median / r.floor.maxRssMB.median, 1.1);
  }
  const policy = results.find(
    (r): r is ThroughputResult => r.kind === 'throughput' && r.scenario.startsWith('10-rule policy'),
  );
  if (policy) {
    const speedup = policy.wmflow.perSecond.median / policy.baseline.perSecond.median;
    const ceiling = policy.floor
      ? `; the download alone, no rule, ran ${(policy.floor.perSecond.median / policy.baseline.perSecond.median).toFixed(3)}× the baseline`
      : '';
    if (speedup < 1.5)
      misses.push(`10-rule policy msgs/s vs baseline: ${speedup.toFixed(3)} (budget ≥ 1.5${ceiling})`);
  }
  const cold = results.filter((r): r is ColdStartResultRow => r.kind === 'cold-start');
  const eager = cold.find((r) => r.name.startsWith('baseline'));
  for (const r of cold) {
    if (!eager || r === eager) continue;
    within(`${r.name} cold start / eager baseline`, r.coldMs.median / eager.coldMs.median, 0.8);
  }
  const scaling = results.find((r): r is ReplayScalingRow => r.kind === 'replay-scaling');
  const one = scaling?.rows.find((r) => r.jobs === 1);
  const two = scaling?.rows.find((r) => r.jobs === 2);
  if (one && two) {
    const speedup = two.perSecond.median / one.perSecond.median;
    if (!(speedup >= 1.7))
      misses.push(
        `replay -j 2 msgs/s vs -j 1: ${speedup.toFixed(3)} (budget ≥ 1.7; two CPU-bound processes ran ${scaling?.cpuScaling.median.toFixed(2)}× as fast as one here, two independent -j 1 replays at once ${scaling?.pairScaling?.median.toFixed(2) ?? '–'}×; -j 1 kept ${one.coresBusy?.median.toFixed(2)} cores busy)`,
      );
  }
  return misses;
}
