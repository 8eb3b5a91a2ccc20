import { parseArgs } from 'node:util';
import type { Direction, Verdict } from '@wmflow/core';
import { DEFAULT_RATE_TABLE } from '../dynamo/dynamo-server.js';
import { LocalStackError } from '../errors.js';
import { parseFaultSpec } from '../faults/fault-spec.js';
import { findMessageFiles } from '../load-eml.js';
import { logicalIdOf, parseEnvPairs, readEnvFile } from '../replay/env-file.js';
import { ExpectationBook } from '../replay/expect.js';
import { localBucketDefaults } from '../replay/function-defaults.js';
import { loadHandler } from '../replay/handler.js';
import { captureOutput } from '../replay/output.js';
import { problemsOf } from '../replay/problems.js';
import { Progress } from '../replay/progress.js';
import { displayPath, runReplay } from '../replay/runner.js';
import { S3Tracker } from '../replay/s3-tracker.js';
import {
  commonFolder,
  errorLines,
  problemLines,
  tableFooter,
  tableHeader,
  tableRow,
} from '../replay/table.js';
import type { ReplayResult } from '../replay/types.js';
import { VirtualClock } from '../replay/virtual-clock.js';
import { parseSesVerdicts } from '../ses/ses-event.js';
import { startLocalStack } from '../stack.js';

/** Variables that would point the SDK at real AWS credentials. */
const SCRUBBED = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE'];

/**
 * `wmflow replay`: runs a handler against .eml fixtures on the local stack and
 * prints a table (or JSON lines). Exit code 1 when a message failed (handler
 * error, timeout, invalid response), an expectation was not met, or — unless
 * `--allow-failures` or a met expectation pins it — a rule failed, an edit failed
 * or was skipped for a reason other than nobody receiving it, or the deadline was hit; 0 otherwise.
 *
 * @example
 * ```ts
 * await replay(['samples/eml', '--function', 'guard', '--org-domain', 'corp.example']);
 * ```
 */
export async function replay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      function: { type: 'string' },
      handler: { type: 'string' },
      built: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      'env-file': { type: 'string' },
      direction: { type: 'string' },
      'mail-from': { type: 'string' },
      recipient: { type: 'string', multiple: true, default: [] },
      'org-domain': { type: 'string', multiple: true, default: [] },
      sync: { type: 'boolean', default: false },
      async: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      fallback: { type: 'string', default: 'DEFAULT' },
      bucket: { type: 'string', multiple: true, default: [] },
      region: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      expect: { type: 'string', multiple: true, default: [] },
      progress: { type: 'boolean', default: false },
      logs: { type: 'boolean', default: false },
      summary: { type: 'boolean', default: false },
      faults: { type: 'string' },
      retries: { type: 'string' },
      'allow-failures': { type: 'boolean', default: false },
      engine: { type: 'string', default: 'workmail' },
      'ses-verdict': { type: 'string', multiple: true, default: [] },
      rate: { type: 'string' },
      start: { type: 'string' },
      dates: { type: 'boolean', default: false },
    },
  });
  const clock = virtualClock(values);
  const engine = parseEngine(values.engine, values.direction);
  if ((values.function === undefined) === (values.handler === undefined)) {
    throw new LocalStackError('give one of --function <name> or --handler <module>[#export]');
  }
  if (values.sync && values.async) throw new LocalStackError('--sync and --async exclude each other');
  const direction = parseDirection(values.direction);
  const synchronous = values.sync ? true : values.async ? false : undefined;
  const timeoutMs =
    values.timeout === undefined
      ? synchronous === false
        ? 120_000
        : engine === 'ses'
          ? 30_000
          : 15_000
      : Number(values.timeout);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
    throw new LocalStackError('--timeout: milliseconds, > 0');

  const ids = values.function ? [logicalIdOf(values.function), values.function] : [];
  const userEnv = {
    ...(values['env-file'] ? await readEnvFile(values['env-file'], ids) : {}),
    ...parseEnvPairs(values.env),
  };
  const domains =
    values['org-domain'].length > 0 ? values['org-domain'] : splitList(userEnv.ORGANIZATION_DOMAINS);
  if (values['org-domain'].length > 0) userEnv.ORGANIZATION_DOMAINS = domains.join(',');
  if (values.function && synchronous !== undefined && userEnv.SYNCHRONOUS === undefined) {
    userEnv.SYNCHRONOUS = String(synchronous);
  }
  if (values.function) {
    const defaults = localBucketDefaults(values.function, { ...process.env, ...userEnv });
    const shown = Object.entries(defaults).map(([k, v]) => `${k}=${v}`);
    if (shown.length > 0) process.stderr.write(`wmflow replay: local defaults ${shown.join(' ')}\n`);
    Object.assign(userEnv, defaults);
  }
  // SES: the receipt rule's S3 action stores each message here; handlers read the same settings.
  if (engine === 'ses') {
    userEnv.STORED_BUCKET ||= 'wmflow-inbound';
    userEnv.STORED_KEY_PREFIX ||= 'inbound/';
  }
  const buckets = new Set(values.bucket);
  for (const [key, value] of Object.entries(userEnv)) {
    if (key.endsWith('_BUCKET') && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) buckets.add(value);
  }
  if (buckets.size === 0) buckets.add('wmflow-local');
  // Rate settings without a table: count in the local default table, as the template would create one.
  if ((userEnv.STORM_GROUPS || userEnv.RATE_LIMITS) && !userEnv.RATE_TABLE)
    userEnv.RATE_TABLE = DEFAULT_RATE_TABLE;

  const book = await ExpectationBook.load(values.expect);
  const paths = positionals.length > 0 ? positionals : book.fixtures();
  if (paths.length === 0)
    throw new LocalStackError('no fixtures: give files or folders (or --expect MANIFEST)');
  const files = await findMessageFiles(paths);

  const retries = values.retries === undefined ? (values.faults ? 3 : 0) : Number(values.retries);
  if (!Number.isSafeInteger(retries) || retries < 0 || retries > 100)
    throw new LocalStackError('--retries: 0..100');
  const faults = values.faults === undefined ? undefined : parseFaultSpec(values.faults);
  const stack = await startLocalStack({
    buckets: [...buckets],
    ...(values.region ? { region: values.region } : {}),
    ...(faults ? { faults } : {}),
    rateTables: [...new Set([DEFAULT_RATE_TABLE, userEnv.RATE_TABLE ?? DEFAULT_RATE_TABLE])],
  });
  const uninstallClock = clock?.install();
  for (const name of SCRUBBED) delete process.env[name];
  const tracker = await S3Tracker.start(stack);
  Object.assign(process.env, userEnv, stack.env, { AWS_ENDPOINT_URL_S3: tracker.endpoint });
  const stop = new AbortController();
  const io = captureOutput({ logs: values.logs, onClosed: () => stop.abort() });
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  const onStray = (error: unknown) => {
    if (values.logs) io.err(`wmflow replay: unhandled rejection in the handler: ${String(error)}\n`);
  };
  process.on('unhandledRejection', onStray);
  try {
    const handler = await loadHandler({
      ...(values.function ? { function: values.function } : {}),
      ...(values.handler ? { handler: values.handler } : {}),
      built: values.built,
    });
    const progress = new Progress(files.length, io.err, {
      enabled: values.progress || (process.stderr.isTTY === true && (values.json || !process.stdout.isTTY)),
      tty: process.stderr.isTTY === true,
    });
    const skipped = new Map<string, number>();
    const failures: ReplayResult[] = [];
    const errors: ReplayResult[] = [];
    const problems: ReplayResult[] = [];
    const shown = files.map((f) => displayPath(f));
    const prefix = commonFolder(shown);
    const rows = !values.json && !values.summary;
    if (!values.json) {
      const title = `${handler.label} · ${files.length} message(s)${prefix ? ` in ${prefix}` : ''}`;
      io.out(rows ? `${title}\n\n${tableHeader()}` : `${title}\n`);
    }
    const summary = await runReplay({
      files,
      handler,
      stack,
      tracker,
      ...(direction ? { direction } : {}),
      ...(values['mail-from'] !== undefined ? { mailFrom: values['mail-from'] } : {}),
      recipients: values.recipient,
      organizationDomains: domains,
      ...(synchronous !== undefined ? { synchronous } : {}),
      timeoutMs,
      fallback: parseFallback(values.fallback),
      ...(values.out ? { outDir: values.out } : {}),
      expectations: book,
      check: values.check,
      ...(engine === 'ses'
        ? {
            ses: {
              bucket: userEnv.STORED_BUCKET ?? 'wmflow-inbound',
              keyPrefix: userEnv.STORED_KEY_PREFIX ?? '',
              ...(values['ses-verdict'].length > 0
                ? { verdicts: parseSesVerdicts(values['ses-verdict']) }
                : {}),
            },
          }
        : {}),
      signal: stop.signal,
      retries,
      ...(clock ? { beforeInvoke: (message: Buffer) => clock.next(message) } : {}),
      onResult: (r) => {
        progress.tick(r.file);
        if (r.skipped) skipped.set(r.skipped, (skipped.get(r.skipped) ?? 0) + 1);
        if (values.json) {
          io.out(`${JSON.stringify(r)}\n`);
          return;
        }
        if (rows) io.out(tableRow(r, prefix));
        if (r.check && !r.check.ok && failures.length < 100) failures.push(slim(r));
        else if (r.error && !r.check?.ok && errors.length < 100) errors.push(slim(r));
        const p = problemsOf(r);
        if ((p.failures || p.edit || p.deadline) && problems.length < 100) problems.push(slim(r));
      },
    });
    progress.done();
    for (const [why, n] of skipped) io.err(`wmflow replay: note: ${n} message(s) skipped: ${why}\n`);
    if (!values.json)
      io.out(`${errorLines(errors)}${problemLines(problems)}${tableFooter(summary, failures)}`);
    if (stack.proxies) {
      const { flow, s3 } = stack.proxies;
      io.err(
        `wmflow replay: faults injected: flow ${JSON.stringify(flow.stats())}, s3 ${JSON.stringify(s3.stats())}\n`,
      );
    }
    if (stop.signal.aborted) return 130;
    const problemsFail = summary.unexpectedProblems > 0 && !values['allow-failures'];
    return summary.unexpectedErrors > 0 || summary.checkFailures > 0 || problemsFail ? 1 : 0;
  } finally {
    uninstallClock?.();
    process.off('unhandledRejection', onStray);
    process.off('SIGINT', onSignal);
    io.restore();
    await tracker.close();
    await stack.stop();
  }
}

/** `--rate <msgs/s>` [`--start <time>`] or `--dates`: the virtual clock rate rules count by. */
function virtualClock(values: { rate?: string; start?: string; dates?: boolean }): VirtualClock | undefined {
  if (values.rate === undefined && !values.dates) {
    if (values.start !== undefined) throw new LocalStackError('--start needs --rate');
    return undefined;
  }
  const start = values.start === undefined ? undefined : Date.parse(values.start);
  if (start !== undefined && !Number.isFinite(start))
    throw new LocalStackError('--start: a date and time (ISO 8601)');
  return new VirtualClock({
    ...(values.rate !== undefined ? { rate: Number(values.rate) } : {}),
    ...(start !== undefined ? { start } : {}),
    fromDates: values.dates === true,
  });
}

function slim(r: ReplayResult): ReplayResult {
  return { ...r, recipients: [], verdicts: {}, journaled: [] };
}

function parseEngine(value: string, direction: string | undefined): 'workmail' | 'ses' {
  if (value !== 'workmail' && value !== 'ses') throw new LocalStackError('--engine: workmail or ses');
  if (value === 'ses' && direction !== undefined && direction.toUpperCase() !== 'INBOUND') {
    throw new LocalStackError('--engine ses: SES receipt rules see inbound mail only');
  }
  return value;
}

function parseDirection(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'INBOUND' && upper !== 'OUTBOUND')
    throw new LocalStackError('--direction: INBOUND or OUTBOUND');
  return upper;
}

export function parseFallback(value: string): Verdict {
  const [type, ...rest] = value.split(':');
  const upper = (type ?? '').toUpperCase();
  if (upper === 'BOUNCE') return { type: 'BOUNCE', message: rest.join(':') || 'Message not delivered.' };
  if (['DEFAULT', 'DROP', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK'].includes(upper))
    return { type: upper } as Verdict;
  throw new LocalStackError('--fallback: DEFAULT, DROP, MOVE_TO_JUNK, BYPASS_SPAM_CHECK or BOUNCE:<message>');
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\s]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}
