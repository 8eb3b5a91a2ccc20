/**
 * Replays N (default 1,000) mixed messages through a prebuilt function with `wmflow replay --json -j J`
 * in a child process, and reports messages per second and the child's peak RSS (Linux: VmHWM from
 * /proc, sampled). The messages are the samples, each copied with a fresh Message-ID and a numbered
 * Subject, into a temporary folder.
 *
 *   node --conditions=wmflow-source --import tsx bench/replay-1000.ts [--count 1000] [--function guard] [--jobs 1]
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { replayRun, writeMessages } from './lib/replay-run.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    function: { type: 'string', default: 'guard' },
    jobs: { type: 'string', default: '1' },
  },
});
const count = Number(values.count);
const dir = await writeMessages(count);
const r = await replayRun(dir, values.function, Number(values.jobs)).finally(() =>
  rm(dir, { recursive: true, force: true }),
);

process.stdout.write(
  [
    `wmflow replay --function ${values.function} -j ${values.jobs}: ${r.lines}/${count} messages in ${r.seconds.toFixed(1)} s ` +
      `(${(r.lines / r.seconds).toFixed(0)} msg/s, process start included; ${r.steadyPerSecond.toFixed(0)} msg/s from the first result), exit ${r.code}`,
    `errors: ${r.errors}; verdicts: ${[...r.verdicts].map(([t, n]) => `${n} ${t}`).join(', ')}`,
    `peak RSS of the replay process: ${r.peakKb > 0 ? `${(r.peakKb / 1024).toFixed(0)} MiB` : 'n/a (no /proc)'}`,
    '',
  ].join('\n'),
);
if (r.lines !== count) process.exitCode = 1;
