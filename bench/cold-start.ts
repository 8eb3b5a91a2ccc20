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
  // One cold start of `bundle`: a fresh process, module init, then the first invocation.
  const once = async (
    bundle: string,
    env: Record<string, string>,
    direction: 'INBOUND' | 'OUTBOUND',
    ses: boolean,
    i: number,
  ) => {
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
    return { initMs: r.initMs, firstMs: r.invocations[0]?.ms ?? Number.NaN };
  };
  const size = (await stat(baseline)).size;
  const subjects = [
    ...reports.map((report) => ({
      name: report.name,
      initialBytes: report.initial,
      totalBytes: report.total,
      bundle: join(report.dir, 'index.mjs'),
      env: functionEnv(report.name),
      direction: report.name === 'outbound-policy' ? ('OUTBOUND' as const) : ('INBOUND' as const),
      ses: report.name.endsWith('-ses'),
    })),
    {
      name: 'baseline (eager SDK + mailparser)',
      initialBytes: size,
      totalBytes: size,
      bundle: baseline,
      env: {},
      direction: 'INBOUND' as const,
      ses: false,
    },
  ];
  // The bundles take turns, run by run, as the handlers of every other scenario do: a host that slows
  // down part-way through the run slows every bundle alike, not only those measured last.
  const samples = subjects.map(() => ({ init: [] as number[], first: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    for (const [k, s] of subjects.entries()) {
      const r = await once(s.bundle, s.env, s.direction, s.ses, i);
      samples[k]?.init.push(r.initMs);
      samples[k]?.first.push(r.firstMs);
    }
  }
  const results: ColdStartResult[] = subjects.map((s, k) => {
    const { init, first } = samples[k] ?? { init: [], first: [] };
    return {
      name: s.name,
      initialBytes: s.initialBytes,
      totalBytes: s.totalBytes,
      initMs: summarize(init),
      firstInvocationMs: summarize(first),
      coldMs: summarize(init.map((v, j) => v + (first[j] ?? 0))),
    };
  });
  return results;
}
