import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '../..');

/** The samples cycled to `count` messages, each with a fresh Message-ID and a numbered Subject, in a new folder. */
export async function writeMessages(count: number): Promise<string> {
  const samplesDir = join(ROOT, 'samples/eml');
  const samples = (await readdir(samplesDir)).filter((f) => f.endsWith('.eml')).sort();
  const sources = await Promise.all(samples.map((f) => readFile(join(samplesDir, f))));
  const dir = await mkdtemp(join(tmpdir(), 'wmflow-replay-bench-'));
  for (let i = 0; i < count; i++) {
    const source = (sources[i % sources.length] as Buffer).toString('latin1');
    const text = source
      .replace(/^Message-ID:.*$/im, `Message-ID: <bench-${i}@bench.example>`)
      .replace(/^Subject: /im, `Subject: #${i} `);
    await writeFile(join(dir, `${String(i).padStart(5, '0')}.eml`), Buffer.from(text, 'latin1'));
  }
  return dir;
}

/** One `wmflow replay --json` run over a folder. */
export interface ReplayRun {
  lines: number;
  errors: number;
  verdicts: Map<string, number>;
  code: number | null;
  /** Whole command, process and worker start included. */
  seconds: number;
  /** Messages per second from the first result line to the last: the rate once the handler is loaded. */
  steadyPerSecond: number;
  /**
   * Peak RSS of the replay process (VmHWM, sampled; workers not included; at `-j 1` the process that replays, a child
   * of the command), KiB; 0 without /proc.
   */
  peakKb: number;
  /**
   * CPU seconds of the replay process, all its threads (V8's background compiler and GC, libuv's pool) and
   * its ended workers, last sampled just before it exited; 0 without /proc.
   */
  cpuSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU seconds of a process and its running children: utime + stime + cutime + cstime (threads included,
 * children already waited for too) plus utime + stime of each child still running (a worker's time reaches
 * its parent's cutime only once it is reaped).
 */
async function processCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  const ticks = async (id: string | number, fields: number[]) => {
    const stat = await readFile(`/proc/${id}/stat`, 'utf8').catch(() => '');
    const values = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return values.length < 15 ? undefined : fields.reduce((n, i) => n + Number(values[i]), 0);
  };
  const own = await ticks(pid ?? 0, [11, 12, 13, 14]);
  if (own === undefined) return undefined;
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  let total = own;
  for (const child of children.split(' ').filter(Boolean)) total += (await ticks(child, [11, 12])) ?? 0;
  return total / TICKS_PER_SECOND;
}

/** Runs `wmflow replay <dir> --function <fn> -j <jobs> --json` from source and measures it. */
export async function replayRun(dir: string, fn: string, jobs: number): Promise<ReplayRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--conditions=wmflow-source',
      '--import',
      'tsx',
      join(ROOT, 'packages/local/src/cli/main.ts'),
      'replay',
      dir,
      '--function',
      fn,
      '--env-file',
      join(ROOT, 'samples/expect/env.json'),
      '--direction',
      'INBOUND',
      '--json',
      '-j',
      String(jobs),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let peakKb = 0;
  let cpuSeconds = 0;
  const sample = setInterval(async () => {
    // `-j 1` replays in a child of the `wmflow` process (fault round 95), which only waits: the larger of the two.
    const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '');
    const oneProcess = jobs === 1 ? children.split(' ').filter(Boolean) : [];
    for (const id of [child.pid, ...oneProcess]) {
      const status = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    }
    // Workers add their CPU to cutime/cstime when they end, so the last sample holds the whole run.
    cpuSeconds = Math.max(cpuSeconds, (await processCpuSeconds(child.pid)) ?? 0);
  }, 50);
  let lines = 0;
  let errors = 0;
  let first = 0;
  let last = 0;
  const verdicts = new Map<string, number>();
  for await (const line of createInterface({ input: child.stdout })) {
    last = performance.now();
    if (lines === 0) first = last;
    const r = JSON.parse(line) as { error: unknown; verdicts: Record<string, string> };
    lines++;
    if (r.error) errors++;
    for (const v of Object.values(r.verdicts)) {
      const type = v.split(':')[0] as string;
      verdicts.set(type, (verdicts.get(type) ?? 0) + 1);
    }
  }
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(sample);
  const seconds = (performance.now() - started) / 1000;
  const steadyPerSecond = lines > 1 ? ((lines - 1) / (last - first)) * 1000 : 0;
  return { lines, errors, verdicts, code, seconds, steadyPerSecond, peakKb, cpuSeconds };
}
