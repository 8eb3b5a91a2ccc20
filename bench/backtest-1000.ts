/**
 * Backtest throughput: journals N (default 1,000) mixed messages with the archiver (`wmflow replay --out`),
 * then backtests the journal with `wmflow backtest --function guard --against recorded` at `-j 1` and at
 * `-j 2` (or `--jobs 1,2,4`), each in a child process, and reports messages per second per run, the speed-up
 * over `-j 1` as a ratio, and whether every run gave the same lines. The messages are the samples, each
 * copied with a fresh Message-ID and a numbered Subject.
 *
 *   node --conditions=wmflow-source --import tsx bench/backtest-1000.ts [--count 1000] [--jobs 1,2] [--function guard]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const CLI = ['--conditions=wmflow-source', '--import', 'tsx', join(ROOT, 'packages/local/src/cli/main.ts')];
const ENV_FILE = join(ROOT, 'samples/expect/env.json');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    jobs: { type: 'string', default: '1,2' },
    function: { type: 'string', default: 'guard' },
  },
});
const count = Number(values.count);
const jobs = values.jobs.split(',').map(Number);

const samplesDir = join(ROOT, 'samples/eml');
const samples = (await readdir(samplesDir)).filter((f) => f.endsWith('.eml')).sort();
const sources = await Promise.all(samples.map((f) => readFile(join(samplesDir, f))));
const dir = await mkdtemp(join(tmpdir(), 'wmflow-backtest-bench-'));
const mail = join(dir, 'eml');
await rm(mail, { recursive: true, force: true });
await import('node:fs/promises').then((fs) => fs.mkdir(mail));
for (let i = 0; i < count; i++) {
  const text = (sources[i % sources.length] as Buffer)
    .toString('latin1')
    .replace(/^Message-ID:.*$/im, `Message-ID: <bench-${i}@bench.example>`)
    .replace(/^Subject: /im, `Subject: #${i} `);
  await writeFile(join(mail, `${String(i).padStart(5, '0')}.eml`), Buffer.from(text, 'latin1'));
}

/** Runs the CLI; calls `onLine` per stdout line; resolves with the exit code and the wall time in seconds. */
async function cli(
  args: string[],
  onLine: (line: string) => void,
): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout })) onLine(line);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, seconds: (performance.now() - started) / 1000 };
}

const journaled = await cli(
  ['replay', mail, '--function', 'archiver', '--env-file', ENV_FILE, '--out', join(dir, 'out'), '--json'],
  () => {},
);
if (journaled.code !== 0) throw new Error(`journaling failed (exit ${journaled.code})`);
const journal = join(dir, 'out/s3/wmflow-journal/journal');

const report: string[] = [
  `journaled ${count} messages with the archiver in ${journaled.seconds.toFixed(1)} s`,
];
let reference: string | undefined;
let base: number | undefined;
for (const j of jobs) {
  const lines: string[] = [];
  let summary = '';
  const run = await cli(
    [
      'backtest',
      journal,
      '--function',
      values.function,
      '--env-file',
      ENV_FILE,
      '-j',
      String(j),
      '--against',
      'recorded',
    ],
    (line) => {
      const parsed = JSON.parse(line) as { type: string; durationMs?: number };
      if (parsed.type === 'summary') summary = line;
      else lines.push(JSON.stringify({ ...parsed, durationMs: 0 }));
    },
  );
  const rate = lines.length / run.seconds;
  base ??= rate;
  const same =
    reference === undefined
      ? 'reference'
      : reference === lines.join('\n')
        ? 'same lines as -j 1'
        : 'DIFFERENT lines';
  reference ??= lines.join('\n');
  const s = JSON.parse(summary || '{}') as { changed?: number; failed?: number; messagesPerSecond?: number };
  report.push(
    `-j ${j}: ${lines.length}/${count} messages in ${run.seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s ` +
      `(process start included; ${s.messagesPerSecond} msg/s by the summary), ${(rate / base).toFixed(2)}x -j 1, ` +
      `changed ${s.changed}, failed ${s.failed}, ${same}, exit ${run.code}`,
  );
  if (lines.length !== count || run.code !== 0 || same.startsWith('DIFFERENT')) process.exitCode = 1;
}
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${report.join('\n')}\n`);
