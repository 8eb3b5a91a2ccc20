// npm run bench [-- --check] [-- --runs N] [-- --only TEXT]: wmflow against a naive baseline in the same run, as ratios.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from '@wmflow/local';
import { coldStarts } from './cold-start.js';
import { bundleHandlers } from './lib/bundle.js';
import { attachmentBody, messageOfSize } from './lib/messages.js';
import { budgetMisses, type Metrics, markdown, type Result } from './lib/report.js';
import { runChild } from './lib/run-child.js';
import { spin } from './lib/spin.js';
import { summarize } from './lib/stats.js';
import { replayScaling } from './replay-scaling.js';
import { SCENARIOS, type SingleScenario, type ThroughputScenario } from './scenarios.js';

// The SDK's Node 20 notice (see README, Decisions) would only clutter the progress lines on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: { check: { type: 'boolean' }, runs: { type: 'string', default: '5' }, only: { type: 'string' } },
});
const COLD_START = 'cold start per function bundle';
const REPLAY_SCALING = 'replay of 1,000 messages through the guard, -j 1 and -j 2';
const RUNS = Number(values.runs);
const BUCKETS = { updates: 'bench-updates', journal: 'bench-journal' };
const scenarios = SCENARIOS.filter((s) => !values.only || s.name.includes(values.only));

const handlerDir = join(import.meta.dirname, 'handlers');
const names = [
  ...new Set(
    scenarios.flatMap((s) => [
      s.wmflow,
      s.baseline,
      ...('floor' in s && s.floor ? [s.floor] : []),
      ...('streamFloor' in s && s.streamFloor ? [s.streamFloor] : []),
      ...('designFloor' in s && s.designFloor ? [s.designFloor] : []),
    ]),
  ),
];
// The bundles and event files of this run, removed when it ends.
const work = await mkdtemp(join(tmpdir(), 'wmflow-bench-'));
const bundles = await bundleHandlers(
  names.map((h) => join(handlerDir, `${h}.ts`)),
  work,
);
const stack = await startLocalStack({ buckets: [BUCKETS.updates, BUCKETS.journal] });
const env = { ...stack.env, BENCH_UPDATES_BUCKET: BUCKETS.updates, BENCH_JOURNAL_BUCKET: BUCKETS.journal };

function event(messageId: string, mailFrom = 'reports@partner.example', n = 0) {
  return {
    summaryVersion: '2019-07-28',
    envelope: { mailFrom: { address: mailFrom }, recipients: [{ address: 'team@corp.example' }] },
    subject: 'Monthly export',
    messageId,
    invocationId: `bench${n}`,
    flowDirection: 'INBOUND',
    truncated: false,
  };
}

/** What one handler's runs of a single-message scenario collected, summarised by {@link metrics}. */
interface SingleSamples {
  wallMs: number[];
  cpuMs: number[];
  maxRssMB: number[];
  bytesIn: number[];
  failures: string[];
  preserved: number;
}

// One run: a fresh process warms up on one message, then the measured (warm) invocation handles another,
// as in a Lambda container past its cold start. Cold starts are measured on their own (cold-start.ts).
async function runSingle(handler: string, message: Buffer, into: SingleSamples, attachment?: Buffer) {
  const file = join(work, 'pair.json');
  const pair = [event(stack.flow.load(message), undefined, 0), event(stack.flow.load(message), undefined, 1)];
  await writeFile(file, JSON.stringify(pair));
  const r = await runChild(bundles.get(handler) as string, { file }, env).catch((error: Error) => error);
  if (r instanceof Error) {
    into.failures.push(
      r.message.includes('heap out of memory') ? 'out of memory' : (r.message.split('\n')[0] ?? 'failed'),
    );
    return;
  }
  const measured = r.invocations.at(-1);
  if (!measured) throw new Error(`${handler} reported no invocation`);
  into.wallMs.push(measured.ms);
  into.cpuMs.push(measured.cpuMs);
  into.maxRssMB.push(r.maxRssMB);
  into.bytesIn.push(measured.bytesRead);
  const committed = stack.flow.history(pair[1]?.messageId as string).at(-1)?.content;
  if (attachment && committed && committed.length !== message.length && committed.includes(attachment))
    into.preserved++;
}

function metrics(s: SingleSamples, attachment: boolean): Metrics {
  return {
    ...(s.failures.length > 0
      ? { failed: `${s.failures.length}/${RUNS}: ${[...new Set(s.failures)].join('; ')}` }
      : {}),
    ...(attachment ? { attachmentPreserved: `${s.preserved}/${RUNS}` } : {}),
    wallMs: summarize(s.wallMs),
    cpuMs: summarize(s.cpuMs),
    maxRssMB: summarize(s.maxRssMB),
    bytesIn: summarize(s.bytesIn),
  };
}

const noSamples = (): SingleSamples => ({
  wallMs: [],
  cpuMs: [],
  maxRssMB: [],
  bytesIn: [],
  failures: [],
  preserved: 0,
});

// The handlers of a scenario take turns, run by run (wmflow, baseline, floors, then again), so that load
// drifting on the machine during a scenario weighs on each of them alike, not on whichever ran last.
async function single(s: SingleScenario): Promise<Result> {
  const message = messageOfSize(s.size);
  const attachment = s.checkAttachment ? attachmentBody(message) : undefined;
  const wmflow = noSamples();
  const baseline = noSamples();
  const floor = s.floor ? noSamples() : undefined;
  const streamFloor = s.streamFloor ? noSamples() : undefined;
  const designFloor = s.designFloor ? noSamples() : undefined;
  // Only the rewrites are checked for the attachment: the floors copy the message as it is.
  const turns: [string | undefined, SingleSamples | undefined, Buffer | undefined][] = [
    [s.wmflow, wmflow, attachment],
    [s.baseline, baseline, attachment],
    [s.floor, floor, undefined],
    [s.streamFloor, streamFloor, undefined],
    [s.designFloor, designFloor, undefined],
  ];
  for (let i = 0; i < RUNS; i++) {
    for (const [handler, into, checked] of turns) {
      if (handler && into) await runSingle(handler, message, into, checked);
    }
  }
  const checked = attachment !== undefined;
  return {
    kind: 'single',
    scenario: s.name,
    size: s.size,
    wmflow: metrics(wmflow, checked),
    baseline: metrics(baseline, checked),
    floor: floor && metrics(floor, false),
    streamFloor: streamFloor && metrics(streamFloor, false),
    designFloor: designFloor && metrics(designFloor, false),
  };
}

/** The sample fixtures, cycled to `count` messages, each loaded afresh; envelope sender from the From header. */
async function mixedEvents(count: number): Promise<string> {
  const dir = join(import.meta.dirname, '../samples/eml');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
  const fixtures = await Promise.all(files.map((f) => readFile(join(dir, f))));
  const events = Array.from({ length: count }, (_, i) => {
    const bytes = fixtures[i % fixtures.length] as Buffer;
    const from = /^From:.*?<?([^\s<>"]+@[^\s<>"]+)>?\s*$/im.exec(
      bytes.subarray(0, 8192).toString('latin1'),
    )?.[1];
    return event(stack.flow.load(bytes), from ?? 'sender@partner.example', i);
  });
  const file = join(work, 'events.json');
  await writeFile(file, JSON.stringify(events));
  return file;
}

// wmflow and the baseline take turns, run by run, as in `single`.
async function throughput(s: ThroughputScenario): Promise<Result> {
  type Role = 'wmflow' | 'baseline' | 'floor';
  const each = () => ({ wmflow: [] as number[], baseline: [] as number[], floor: [] as number[] });
  const perSecond = each();
  const rss = each();
  const handlerCpu = each();
  const mainCpu = each();
  const emulatorCpu = each();
  const secondHalf = each();
  const roles: Role[] = s.floor ? ['wmflow', 'baseline', 'floor'] : ['wmflow', 'baseline'];
  for (let i = 0; i < RUNS; i++) {
    for (const role of roles) {
      const file = await mixedEvents(s.messages);
      // This process only serves the emulators while the child runs: its CPU is what each message's
      // GetRawMessageContent costs on the other side of the socket, which both handlers wait for.
      const before = process.cpuUsage();
      const r = await runChild(bundles.get(s[role] as string) as string, { file }, env);
      const served = process.cpuUsage(before);
      const n = r.invocations.length;
      perSecond[role].push((n / r.handlerMs) * 1000);
      rss[role].push(r.maxRssMB);
      handlerCpu[role].push(r.invocations.reduce((sum, inv) => sum + inv.cpuMs, 0) / n);
      if (r.mainThreadCpuMs !== undefined) mainCpu[role].push(r.mainThreadCpuMs / n);
      emulatorCpu[role].push((served.user + served.system) / 1000 / n);
      // The second half alone: the process has compiled its hot code by then (informative, not a budget).
      const late = r.invocations.slice(Math.floor(n / 2));
      secondHalf[role].push((late.length / late.reduce((sum, inv) => sum + inv.ms, 0)) * 1000);
    }
  }
  const measured = (role: Role) => ({
    perSecond: summarize(perSecond[role]),
    maxRssMB: summarize(rss[role]),
    handlerCpuMs: summarize(handlerCpu[role]),
    ...(mainCpu[role].length > 0 ? { mainThreadCpuMs: summarize(mainCpu[role]) } : {}),
    emulatorCpuMs: summarize(emulatorCpu[role]),
    secondHalfPerSecond: summarize(secondHalf[role]),
  });
  return {
    kind: 'throughput',
    scenario: s.name,
    messages: s.messages,
    wmflow: measured('wmflow'),
    baseline: measured('baseline'),
    ...(s.floor ? { floor: measured('floor') } : {}),
  };
}

const results: Result[] = [];
const cpuReference = { startMs: await spin(), endMs: Number.NaN };
try {
  for (const s of scenarios) {
    results.push(s.kind === 'single' ? await single(s) : await throughput(s));
    console.error(`done: ${s.name}`);
  }
  if (!values.only || COLD_START.includes(values.only)) {
    for (const r of await coldStarts(stack, RUNS, BUCKETS)) results.push({ kind: 'cold-start', ...r });
    console.error(`done: ${COLD_START}`);
  }
  if (!values.only || REPLAY_SCALING.includes(values.only)) {
    results.push({ kind: 'replay-scaling', scenario: REPLAY_SCALING, ...(await replayScaling(RUNS)) });
    console.error(`done: ${REPLAY_SCALING}`);
  }
} finally {
  await stack.stop();
  await rm(work, { recursive: true, force: true });
}
cpuReference.endMs = await spin();

const table = markdown(results, RUNS, cpuReference);
console.log(table);
const misses = budgetMisses(results);
if (!values.only) {
  await writeFile(
    join(import.meta.dirname, 'results.json'),
    `${JSON.stringify({ runs: RUNS, cpuReference, results }, null, 2)}\n`,
  );
  // The file says which budgets of issue 15 this run met, so it can be read without the console output.
  const verdict =
    misses.length === 0
      ? 'Budgets (`--check`): all met in this run.'
      : `Budgets (\`--check\`) missed in this run:\n\n${misses.map((m) => `- ${m}`).join('\n')}`;
  await writeFile(join(import.meta.dirname, 'results.md'), `# wmflow benchmarks\n\n${table}\n\n${verdict}\n`);
}
if (values.check) {
  if (misses.length > 0) {
    console.error(`budgets missed:\n${misses.join('\n')}`);
    process.exit(1);
  }
  console.error('budgets met');
}
