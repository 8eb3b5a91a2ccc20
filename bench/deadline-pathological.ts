// node --conditions=wmflow-source --import tsx bench/deadline-pathological.ts [--no-baseline]
// The prebuilt guard (defaults, from source) on pathological messages over the local emulators: does it answer
// within its deadline (WorkMail's 15 s less the 1 s margin), with no deadline hit? Against a naive baseline in the
// same run: mailparser's simpleParser on the same bytes (what a hand-written Lambda does), capped at the deadline.
// Reported as ratios of the deadline; one run each (a pathological case is about growth, not noise).
import { Worker } from 'node:worker_threads';
import { type FlowOutcome, onFlowOutcome, resetDefaultClients } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { startLocalStack } from '@wmflow/local';
import { guard } from '../functions/guard/guard.js';
import { nestedBlockquotes } from '../functions/test/adversarial/hostile-mail.js';

const DEADLINE_MS = 14_000;
const CASES: { name: string; message: () => Buffer }[] = [
  { name: 'HTML of nested <blockquote>, 107 KB', message: () => nestedBlockquotes(107_000) },
  { name: 'HTML of nested <blockquote>, 1 MB', message: () => nestedBlockquotes(1_000_000) },
];

// The baseline runs in a worker so that a stalled parse can be cut off at the deadline.
async function baselineMs(bytes: Buffer): Promise<number | 'over'> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import('mailparser').then(async ({ simpleParser }) => {
       const t = performance.now(); await simpleParser(Buffer.from(workerData)); parentPort.postMessage(performance.now() - t);
     });`,
    { eval: true, workerData: bytes },
  );
  const timer = setTimeout(() => void worker.terminate(), DEADLINE_MS);
  try {
    return await new Promise<number | 'over'>((resolve) => {
      worker.once('message', (ms: number) => resolve(ms));
      worker.once('exit', () => resolve('over'));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

const stack = await startLocalStack({ buckets: ['bench-updates'] });
Object.assign(process.env, stack.env, { AWS_S3_FORCE_PATH_STYLE: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' });
resetDefaultClients();
const outcomes = new Map<string, FlowOutcome>();
onFlowOutcome((o) => outcomes.set(o.messageId, o));
const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'bench-updates' });
const rows: string[] = [
  '| pathological message | guard answered | deadline hit | guard / deadline | simpleParser / deadline |',
  '| --- | --- | --- | --- | --- |',
];
try {
  for (const c of CASES) {
    const bytes = c.message();
    const event = makeFlowEvent({ messageId: stack.flow.load(bytes), recipients: ['bob@corp.example'] });
    const started = performance.now();
    await handler(event, lambdaContext({ timeoutMs: 15_000 }));
    const ms = performance.now() - started;
    const hit = outcomes.get(event.messageId)?.deadlineHit ?? true;
    const naive = process.argv.includes('--no-baseline') ? undefined : await baselineMs(bytes);
    const naiveCell =
      naive === undefined
        ? '-'
        : naive === 'over'
          ? '> 1 (stopped at the deadline)'
          : (naive / DEADLINE_MS).toFixed(3);
    rows.push(
      `| ${c.name} | ${ms.toFixed(0)} ms | ${hit ? 'yes' : 'no'} | ${(ms / DEADLINE_MS).toFixed(3)} | ${naiveCell} |`,
    );
    console.error(`done: ${c.name}`);
  }
} finally {
  await stack.stop();
}
console.log(rows.join('\n'));
