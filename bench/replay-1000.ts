/**
 * Replays N (default 1,000) mixed messages through a prebuilt function with `wmflow replay --json`
 * in a child process, and reports messages per second and the child's peak RSS (Linux: VmHWM from
 * /proc, sampled). The messages are the samples, each copied with a fresh Message-ID and a numbered
 * Subject, into a temporary folder.
 *
 *   node --conditions=wmflow-source --import tsx bench/replay-1000.ts [--count 1000] [--function guard]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    function: { type: 'string', default: 'guard' },
  },
});
const count = Number(values.count);

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
    values.function,
    '--env-file',
    join(ROOT, 'samples/expect/env.json'),
    '--direction',
    'INBOUND',
    '--json',
  ],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
);
let peakKb = 0;
const sample = setInterval(async () => {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
}, 100);
let lines = 0;
let errors = 0;
const verdicts = new Map<string, number>();
for await (const line of createInterface({ input: child.stdout })) {
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
await rm(dir, { recursive: true, force: true });

process.stdout.write(
  [
    `wmflow replay --function ${values.function}: ${lines}/${count} messages in ${seconds.toFixed(1)} s ` +
      `(${(lines / seconds).toFixed(0)} msg/s, process start included), exit ${code}`,
    `errors: ${errors}; verdicts: ${[...verdicts].map(([t, n]) => `${n} ${t}`).join(', ')}`,
    `peak RSS of the replay process: ${peakKb > 0 ? `${(peakKb / 1024).toFixed(0)} MiB` : 'n/a (no /proc)'}`,
    '',
  ].join('\n'),
);
if (lines !== count) process.exitCode = 1;
