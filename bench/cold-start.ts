import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LocalStack } from '@wmflow/local';
import { build } from 'esbuild';
import { buildFunctions } from '../functions/build.js';
import { sesEventFromEml } from '../packages/local/src/ses/ses-event.js';
import { runChild } from './lib/run-child.js';
import { type Summary, summarize } from './lib/stats.js';

/** Cold start of one bundle: its size, and module init plus the first invocation in a fresh process. */
export interface ColdStartResult {
  name: string;
  initialBytes: number;
  totalBytes: number;
  initMs: Summary;
  firstInvocationMs: Summary;
  coldMs: Summary;
}

const ROOT = join(import.meta.dirname, '..');

/** Each prebuilt function, and the naive eager baseline, started cold `runs` times each. */
export async function coldStarts(
  stack: LocalStack,
  runs: number,
  buckets: { journal: string; updates: string },
) {
  // The builds of this run, removed when it ends.
  const outdir = await mkdtemp(join(tmpdir(), 'wmflow-cold-'));
  try {
    return await coldStartsIn(outdir, stack, runs, buckets);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

async function coldStartsIn(
  outdir: string,
  stack: LocalStack,
  runs: number,
  buckets: { journal: string; updates: string },
) {
  const reports = await buildFunctions({ outdir });
  const baseline = join(outdir, 'baseline-eager.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'handlers/baseline-eager.ts')],
    outfile: baseline,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  const inbound = await readFile(join(ROOT, 'samples/eml/02-html-newsletter.eml'));
  const outbound = await readFile(join(ROOT, 'samples/eml/06-outbound-card-numbers.eml'));
  const envs = JSON.parse(await readFile(join(ROOT, 'samples/env/local.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const sesEnvs = JSON.parse(await readFile(join(ROOT, 'samples/expect/env.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const functionEnv = (name: string) => {
    const logicalId = `${name.replace(/(^|-)(\w)/g, (_, _d, c: string) => c.toUpperCase())}Function`;
    return {
      ...(envs[logicalId] ?? sesEnvs[logicalId]),
      ...(name.endsWith('-ses') ? { STORED_BUCKET: buckets.updates, STORED_KEY_PREFIX: 'inbound/' } : {}),
      JOURNAL_BUCKET: buckets.journal,
      UPDATES_BUCKET: buckets.updates,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
  };
  const measure = async (
    bundle: string,
    env: Record<string, string>,
    direction: 'INBOUND' | 'OUTBOUND',
    ses = false,
  ) => {
    const init: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < runs; i++) {
      const message = direction === 'INBOUND' ? inbound : outbound;
      const event = {
        summaryVersion: '2019-07-28',
        envelope: {
          mailFrom: { address: direction === 'INBOUND' ? 'news@partner.example' : 'dan@corp.example' },
          recipients: [{ address: direction === 'INBOUND' ? 'alice@corp.example' : 'orders@shop.example' }],
        },
        subject: 'cold start',
        messageId: stack.flow.load(message),
        invocationId: `cold${i}`,
        flowDirection: direction,
        truncated: false,
      };
      // SES: the receipt rule's S3 action stored the message; the Lambda action's event names it.
      if (ses)
        await stack.s3.send(
          new PutObjectCommand({ Bucket: buckets.updates, Key: `inbound/${event.messageId}`, Body: message }),
        );
      const sesEvent = sesEventFromEml(message, {
        messageId: event.messageId,
        mailFrom: event.envelope.mailFrom.address,
        recipients: event.envelope.recipients.map((r) => r.address),
        subject: event.subject,
      });
      const r = await runChild(bundle, ses ? sesEvent : event, { ...stack.env, ...env });
      init.push(r.initMs);
      first.push(r.invocations[0]?.ms ?? Number.NaN);
    }
    return {
      initMs: summarize(init),
      firstInvocationMs: summarize(first),
      coldMs: summarize(init.map((v, i) => v + (first[i] ?? 0))),
    };
  };
  const results: ColdStartResult[] = [];
  for (const report of reports) {
    const direction = report.name === 'outbound-policy' ? 'OUTBOUND' : 'INBOUND';
    const ses = report.name.endsWith('-ses');
    const m = await measure(join(report.dir, 'index.mjs'), functionEnv(report.name), direction, ses);
    results.push({ name: report.name, initialBytes: report.initial, totalBytes: report.total, ...m });
  }
  const size = (await stat(baseline)).size;
  results.push({
    name: 'baseline (eager SDK + mailparser)',
    initialBytes: size,
    totalBytes: size,
    ...(await measure(baseline, {}, 'INBOUND')),
  });
  return results;
}
