// npm run bench [-- --check] [-- --runs N]: wmflow against a naive baseline, in the same run, as ratios.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from '@wmflow/local';
import { bundleHandlers } from './lib/bundle.js';
import { messageOfSize } from './lib/messages.js';
import { runChild } from './lib/run-child.js';
import { ratio, type Summary, summarize } from './lib/stats.js';

const { values } = parseArgs({
  options: { check: { type: 'boolean' }, runs: { type: 'string', default: '5' }, only: { type: 'string' } },
});
const RUNS = Number(values.runs);
const MB = 1024 * 1024;
const UPDATES = 'bench-updates';

interface Scenario {
  name: string;
  size: number;
  wmflow: string;
  baseline: string;
}

const scenarios: Scenario[] = [
  {
    name: 'header-only rule, 10 kB',
    size: 10 * 1024,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    name: 'header-only rule, 1 MB',
    size: MB,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    name: 'header-only rule, 25 MB',
    size: 25 * MB,
    wmflow: 'wmflow-header-only',
    baseline: 'baseline-header-only',
  },
  {
    name: 'banner + subject tag, 20 MB attachment',
    size: 20 * MB,
    wmflow: 'wmflow-edit',
    baseline: 'baseline-edit',
  },
];

type Metrics = { wallMs: Summary; cpuMs: Summary; maxRssMB: Summary; bytesIn: Summary };

const handlers = join(import.meta.dirname, 'handlers');
const bundles = await bundleHandlers(
  [...new Set(scenarios.flatMap((s) => [s.wmflow, s.baseline]))].map((h) => join(handlers, `${h}.ts`)),
);
const stack = await startLocalStack({ buckets: [UPDATES] });
const env = { ...stack.env, BENCH_UPDATES_BUCKET: UPDATES };

async function measure(handler: string, message: Buffer): Promise<Metrics> {
  const samples = {
    wallMs: [] as number[],
    cpuMs: [] as number[],
    maxRssMB: [] as number[],
    bytesIn: [] as number[],
  };
  for (let i = 0; i < RUNS; i++) {
    const messageId = stack.flow.load(message);
    const event = {
      summaryVersion: '2019-07-28',
      envelope: {
        mailFrom: { address: 'reports@partner.example' },
        recipients: [{ address: 'team@corp.example' }],
      },
      subject: 'Monthly export',
      messageId,
      invocationId: `bench${i}`,
      flowDirection: 'INBOUND',
      truncated: false,
    };
    const r = await runChild(bundles.get(handler) as string, event, env);
    samples.wallMs.push(r.handlerMs);
    samples.cpuMs.push(r.cpuMs);
    samples.maxRssMB.push(r.maxRssMB);
    samples.bytesIn.push(r.bytesRead);
  }
  return {
    wallMs: summarize(samples.wallMs),
    cpuMs: summarize(samples.cpuMs),
    maxRssMB: summarize(samples.maxRssMB),
    bytesIn: summarize(samples.bytesIn),
  };
}

const results: { scenario: string; wmflow: Metrics; baseline: Metrics }[] = [];
try {
  for (const s of scenarios.filter((x) => !values.only || x.name.includes(values.only))) {
    const message = messageOfSize(s.size);
    const wmflow = await measure(s.wmflow, message);
    const baseline = await measure(s.baseline, message);
    results.push({ scenario: s.name, wmflow, baseline });
    console.error(`done: ${s.name}`);
  }
} finally {
  await stack.stop();
}

const fmt = (m: Summary, digits = 1) =>
  `${m.median.toFixed(digits)} (${m.min.toFixed(digits)}–${m.max.toFixed(digits)})`;
const rows = results.flatMap((r) =>
  (['wallMs', 'cpuMs', 'maxRssMB', 'bytesIn'] as const).map(
    (k) =>
      `| ${r.scenario} | ${k} | ${fmt(r.wmflow[k], k === 'bytesIn' ? 0 : 1)} | ${fmt(r.baseline[k], k === 'bytesIn' ? 0 : 1)} | ${ratio(r.wmflow[k].median, r.baseline[k].median)} |`,
  ),
);
const table = [
  `Runs per cell: ${RUNS}, each in a fresh process (bundled handler), emulators in the parent process. Median (min–max). wallMs and cpuMs cover the invocation (not module init); bytesIn is what the handler read from its sockets.`,
  '',
  '| scenario | metric | wmflow | baseline | wmflow/baseline |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
await writeFile(
  join(import.meta.dirname, 'results.json'),
  `${JSON.stringify({ runs: RUNS, results }, null, 2)}\n`,
);
await writeFile(join(import.meta.dirname, 'results.md'), `# wmflow benchmarks\n\n${table}\n`);

if (values.check) {
  const failures: string[] = [];
  const header25 = results.find((r) => r.scenario === 'header-only rule, 25 MB');
  if (header25 && header25.wmflow.bytesIn.max >= 64 * 1024) {
    failures.push(
      `header-only rule read ${header25.wmflow.bytesIn.max} bytes of a 25 MB message (budget < 65536)`,
    );
  }
  const edit = results.find((r) => r.scenario.startsWith('banner'));
  if (edit && edit.wmflow.maxRssMB.max >= 128)
    failures.push(`edit peak RSS ${edit.wmflow.maxRssMB.max.toFixed(1)} MB (budget < 128)`);
  if (failures.length > 0) {
    console.error(`budgets missed:\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.error('budgets met');
}
