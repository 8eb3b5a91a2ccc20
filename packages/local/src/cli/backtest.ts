import { existsSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { isAbsolute, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { keepAnswerOnBody } from '@wmflow/core';
import { continuesCutLine, JsonLinesOut, readResults } from '../backtest/output.js';
import { runPool, wasBacktested } from '../backtest/pool.js';
import { ProgressBar } from '../backtest/progress-bar.js';
import { renderReport } from '../backtest/report.js';
import type { BacktestInit } from '../backtest/session.js';
import { openSource } from '../backtest/source.js';
import { type BacktestSummary, BacktestTally } from '../backtest/tally.js';
import type { BacktestLine } from '../backtest/types.js';
import { LocalStackError } from '../errors.js';
import { envFileArgument, logicalIdOf, parseEnvPairs, readEnvFile } from '../replay/env-file.js';
import { localDefaults } from '../replay/function-defaults.js';
import type { HandlerSpec } from '../replay/handler.js';
import { writeOutFile } from '../replay/out-dir.js';
import { WorkersGoneError } from '../workers/ordered-pool.js';
import { heldOpenNote } from './held-open.js';
import { loadTimeout } from './load-timeout.js';
import { millisecondsOption } from './milliseconds.js';
import { parseFallback, splitList } from './replay.js';
import { boundedRequests, requestTimeoutOption } from './request-timeout.js';
import { awsFailure, s3Failure } from './s3-problem.js';

/**
 * `wmflow backtest <source> (--function N | --handler M) [--against (--function N | --handler M | recorded)]`:
 * replays journaled messages through a policy on the emulators, in `-j` worker
 * processes, and prints one JSON line per message and a summary line (docs/backtest.md).
 *
 * @example
 * ```ts
 * await backtest(['out/s3/wmflow-journal/journal', '--function', 'guard', '--against', 'recorded']);
 * ```
 */
export async function backtest(args: string[]): Promise<number> {
  // A worker ended without waiting for a timer or socket its handler left open (fault round 57): said once, at the end.
  let held = false;
  const { own, against } = splitAgainst(args);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    strict: true,
    options: {
      function: { type: 'string' },
      handler: { type: 'string' },
      built: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      'env-file': { type: 'string' },
      'env-vars': { type: 'string' },
      'org-domain': { type: 'string', multiple: true, default: [] },
      sync: { type: 'boolean', default: false },
      async: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'load-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      fallback: { type: 'string', default: 'DEFAULT' },
      region: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      resume: { type: 'string' },
      report: { type: 'string' },
      progress: { type: 'boolean', default: false },
      logs: { type: 'boolean', default: false },
      remote: { type: 'string' },
    },
  });
  const baseline = against && againstSpec(against);
  if (positionals.length !== 1) throw new LocalStackError('give one source: a folder or s3://bucket/prefix');
  const candidate = handlerSpec(values.function, values.handler, values.built);
  if (values.sync && values.async) throw new LocalStackError('--sync and --async exclude each other');
  const synchronous = values.sync ? true : values.async ? false : undefined;
  const requestTimeoutMs = requestTimeoutOption(values['request-timeout'], 'backtest');
  const timeoutMs = values.timeout === undefined ? 15_000 : millisecondsOption(values.timeout, '--timeout');
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 256)
    throw new LocalStackError('-j: 1 to 256 workers');

  const names = [candidate, baseline].flatMap((s) =>
    s && s !== 'recorded' && s.function ? [s.function] : [],
  );
  const envFile = envFileArgument(values);
  const fromFile = envFile
    ? await readEnvFile(
        envFile,
        names.flatMap((n) => [logicalIdOf(n), n]),
      )
    : {};
  const fromFlags = parseEnvPairs(values.env);
  const env = { ...fromFile, ...fromFlags };
  const given = [
    ...Object.keys(fromFile).map((name) => ({ name, from: envFile ?? '' })),
    ...Object.keys(fromFlags).map((name) => ({ name, from: '--env' })),
  ];
  // The prebuilt functions' buckets, local names when unset, as `wmflow replay` gives them.
  for (const name of names) Object.assign(env, localDefaults(name, { ...process.env, ...env }));
  const domains =
    values['org-domain'].length > 0 ? values['org-domain'] : splitList(env.ORGANIZATION_DOMAINS);
  const init: BacktestInit = {
    candidate,
    ...(baseline ? { baseline } : {}),
    env,
    organizationDomains: domains,
    timeoutMs,
    ...(synchronous !== undefined ? { synchronous } : {}),
    fallback: parseFallback(values.fallback),
    ...(values.region ? { region: values.region } : {}),
    given,
  };
  const source = positionals[0] as string;
  if (values.remote && values.resume) throw new LocalStackError('--resume is for local runs, not --remote');
  const stop = new AbortController();
  const out = new JsonLinesOut(process.stdout, () => stop.abort());
  const tally = new BacktestTally(source);
  const tty = process.stderr.isTTY === true;
  const bar = values.progress || tty ? new ProgressBar((t) => process.stderr.write(t), { tty }) : undefined;
  // SIGTERM and SIGHUP (a `timeout`, a closed terminal, a service stopped) interrupt the run as Ctrl-C does: the
  // messages being judged finish, the summary says `interrupted`, and the spooled copies of journaled mail are removed
  // (fault round 98: killed by SIGTERM, the run wrote no summary and left them in the temporary folder). A second one
  // ends the process at once.
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    signalled ??= signal;
    stop.abort();
  };
  for (const signal of INTERRUPTIONS) process.once(signal, onSignal);
  const started = performance.now();
  let backtested = 0;
  // The summary line, then the report: `partial` says why they are of a part of the source only (fault round 68).
  const finish = async (partial?: string) => {
    bar?.done();
    const summary = tally.summary({
      workers: values.remote ? 0 : jobs,
      durationMs: Math.round(performance.now() - started),
      backtested,
      ...(partial !== undefined ? { partial } : {}),
    });
    await out.write(summary);
    // Nothing listed (a prefix a month off, a sync into another folder): said, or 0 messages reads as "no change"
    // (newcomer round 6).
    if (summary.messages === 0 && summary.resumed === 0 && partial === undefined)
      process.stderr.write(
        `wmflow backtest: no message in ${source}: nothing was backtested (the archiver writes <prefix>/<direction>/<yyyy>/<mm>/<dd>/<messageId>; check the folder or prefix)\n`,
      );
    const warning = rateWarning(summary);
    if (warning) process.stderr.write(`wmflow backtest: ${warning}\n`);
    if (held) process.stderr.write(heldOpenNote('backtest'));
    // Whole or not at all (fault round 65): a full disk or a kill never leaves a cut report under its name.
    if (values.report) await writeOutFile(values.report, renderReport(summary, tally), '--report');
  };
  try {
    if (values.remote) {
      const { runRemote } = await import('../backtest/remote.js');
      await runRemote({
        stateMachineArn: values.remote,
        requestTimeoutMs,
        source,
        init,
        signal: stop.signal,
        onStatus: (text) => {
          if (bar) process.stderr.write(text);
        },
        onLine: async (line) => {
          backtested++;
          tally.add(line);
          await out.write(line);
        },
      }).catch((error: unknown) => Promise.reject(awsFailure(values.remote as string, error)));
    } else {
      // Bounded requests (fault round 71): a journal bucket that stops answering fails the run, never holds it.
      const journal = await openSource(source, {
        // A part of an object, checksummed, is refused as one without a checksum is (fault round 72).
        s3: keepAnswerOnBody(new S3Client({ requestHandler: boundedRequests(requestTimeoutMs) })),
      });
      const done = new Set<string>();
      // The lines of messages the earlier run could not backtest, until a line of this run replaces them.
      const retried = new Map<string, BacktestLine>();
      if (values.resume) {
        const policy = policyOf(candidateLabel(candidate));
        for await (const line of readResults(values.resume)) {
          // A message the earlier run could not fetch or replay (its worker failed) is tried again.
          if (done.has(line.key)) continue;
          if (!wasBacktested(line)) {
            retried.set(line.key, line);
            continue;
          }
          // Lines of another candidate are no part of this run: resumed, they would stand for its verdicts (round 7).
          const theirs = policyOf(line.candidate.label);
          if (!samePolicy(theirs, policy))
            throw new LocalStackError(
              `--resume ${values.resume}: its lines are of ${theirs.label}, this run is of ${policy.label}: ` +
                'resume with the policies of the run that wrote it, or write this run to another file without --resume',
            );
          done.add(line.key);
          retried.delete(line.key);
          tally.add(line, true);
        }
        if (await continuesCutLine(values.resume, 1)) await out.writeText('\n');
      }
      if (bar)
        void countKeys(journal.list(), done).then(
          (n) => {
            bar.total = n;
          },
          () => {},
        );
      try {
        await runPool({
          workers: jobs,
          init,
          ...loadTimeout(values['load-timeout'], 'backtest'),
          source: journal,
          keys: skip(journal.list(), done),
          logs: values.logs,
          signal: stop.signal,
          onHeld: () => {
            held = true;
          },
          onLine: async (line) => {
            backtested++;
            retried.delete(line.key);
            tally.add(line);
            bar?.tick();
            await out.write(line);
          },
        });
      } catch (error) {
        // S3 refusing the listing (no such bucket, access denied, SlowDown past the retries): one line, no SDK trace.
        const failed = s3Failure(source, error);
        // Refused on a later page: the messages handed out before it were finished and written (fault round 67); the
        // line says the output is a part, and how to go on from it.
        if (backtested > 0 && failed instanceof LocalStackError) {
          // A summary (and a report) of the part judged, marked partial with the reason, rather than none: never one
          // that passes for the whole journal's (fault round 68).
          for (const line of retried.values()) tally.add(line, true);
          // Every worker gone (a handler ending its process, a stuck one that could not be replaced) is no listing
          // cut: the mark says what stopped the run (fault round 69).
          const gone = failed instanceof WorkersGoneError;
          await finish(
            gone ? failed.message : `the listing stopped: ${failed.message.replace(/^.*?: /, '')}`,
          );
          throw new LocalStackError(
            `${failed.message}; ${gone ? 'the run stopped' : 'the listing stopped'} after ${backtested} message(s) written: the summary is of those only (partial); rerun with --resume <this output> for the rest`,
          );
        }
        throw failed;
      } finally {
        await journal.close();
      }
      // One not tried again (gone from the journal since, or the run interrupted first): its failure still counts, once.
      for (const line of retried.values()) tally.add(line, true);
    }
    await finish(stop.signal.aborted ? 'interrupted' : undefined);
    if (!stop.signal.aborted) return 0;
    return signalled && signalled !== 'SIGINT' ? 128 + (constants.signals[signalled] ?? 0) : 130;
  } finally {
    for (const signal of INTERRUPTIONS) process.off(signal, onSignal);
  }
}

/** The signals that interrupt a run (its summary marked `interrupted`). */
const INTERRUPTIONS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A candidate policy as a run's lines label it: a function (`guard`), or a module path as written and its export. */
interface Policy {
  label: string;
  path?: string;
  exportName: string;
}

function candidateLabel(spec: HandlerSpec): string {
  const { handler } = spec;
  return (
    spec.function ?? (handler !== undefined && handler.lastIndexOf('#') > 0 ? handler : `${handler}#handler`)
  );
}

function policyOf(label: string): Policy {
  const hash = label.lastIndexOf('#');
  return hash > 0
    ? { label, path: label.slice(0, hash), exportName: label.slice(hash + 1) }
    : { label, exportName: label };
}

/**
 * Whether lines labelled `theirs` are of the policy `ours`: the same function, or the same module and export however
 * its path was written. A label keeps the path as it was written, from the folder that run started in: resumed from
 * another folder (false-positive round 10), a relative path naming no module from here is the same module when this
 * run's module ends with it (`lambdas/x.ts` from `samples/` for `samples/lambdas/x.ts`).
 */
function samePolicy(theirs: Policy, ours: Policy): boolean {
  if (theirs.path === undefined || ours.path === undefined) return theirs.label === ours.label;
  if (theirs.exportName !== ours.exportName) return false;
  const ourPath = resolve(ours.path);
  if (resolve(theirs.path) === ourPath) return true;
  if (isAbsolute(theirs.path) || existsSync(resolve(theirs.path))) return false;
  const tail = normalize(theirs.path);
  return !tail.startsWith('..') && ourPath.endsWith(`${sep}${tail}`);
}

function handlerSpec(fn: string | undefined, handler: string | undefined, built: boolean): HandlerSpec {
  if ((fn === undefined) === (handler === undefined))
    throw new LocalStackError('give one of --function <name> or --handler <module>[#export]');
  return fn !== undefined ? { function: fn, built } : { handler: handler as string, built };
}

/**
 * The run's own arguments and the baseline's: `--against` takes `recorded`, or the `--function`/`--handler`/`--built`
 * items right after it; whatever follows them (`-j`, `--resume`, the source…) is the run's again.
 */
function splitAgainst(given: string[]): { own: string[]; against?: string[] } {
  // `--against=recorded` as every other option takes `--opt=value` (newcomer round 11: it was an unknown option).
  const eq = given.findIndex((a) => a.startsWith('--against='));
  const args =
    eq < 0
      ? given
      : [
          ...given.slice(0, eq),
          '--against',
          (given[eq] as string).slice('--against='.length),
          ...given.slice(eq + 1),
        ];
  const at = args.indexOf('--against');
  if (at < 0) return { own: args };
  let end = at + 1;
  if (args[end] === 'recorded') end++;
  else
    for (;;) {
      const item = args[end] ?? '';
      if (item === '--built' || /^--(function|handler)=/.test(item)) end += 1;
      else if (item === '--function' || item === '--handler') end += 2;
      else break;
    }
  return { own: [...args.slice(0, at), ...args.slice(end)], against: args.slice(at + 1, end) };
}

/** What follows `--against`: `recorded`, or the baseline policy's `--function`/`--handler` (and `--built`). */
function againstSpec(args: string[]): HandlerSpec | 'recorded' {
  if (args.length === 1 && args[0] === 'recorded') return 'recorded';
  if (args.length === 0)
    throw new LocalStackError('--against: give recorded, --function NAME or --handler MODULE right after it');
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      function: { type: 'string' },
      handler: { type: 'string' },
      built: { type: 'boolean', default: false },
    },
  });
  return handlerSpec(values.function, values.handler, values.built);
}

async function* skip(keys: AsyncIterable<string>, done: ReadonlySet<string>): AsyncGenerator<string> {
  for await (const key of keys) if (!done.has(key)) yield key;
}

async function countKeys(keys: AsyncIterable<string>, done: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for await (const key of keys) if (!done.has(key)) n++;
  return n;
}

/**
 * Rate rules count in the order each worker sees the messages, in one counter store a worker's policies share:
 * with several workers, or rate rules in both policies, their counts are not the journal's.
 */
function rateWarning(summary: BacktestSummary): string | undefined {
  const counted = [summary.candidate, summary.baseline].filter((p) => p && p.rateCounted > 0);
  if (counted.length === 0) return undefined;
  if (counted.length > 1)
    return 'rate rules counted in both policies, which share one counter store: their counts add up; backtest each policy alone for its rate verdicts';
  if (summary.workers !== 1)
    return `rate rules counted ${counted[0]?.rateCounted} messages in ${summary.workers > 1 ? `${summary.workers} workers` : 'batches'}, each with its own counters: run -j 1 for the journal's counts`;
  return undefined;
}
