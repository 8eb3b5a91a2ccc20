import { writeSync } from 'node:fs';
import { LocalStackError } from '../errors.js';
import { findMessageFiles } from '../load-eml.js';
import { ExpectationBook } from '../replay/expect.js';
import { checkOutDir, claimOutDir } from '../replay/out-dir.js';
import { captureOutput } from '../replay/output.js';
import { problemsOf } from '../replay/problems.js';
import { Progress } from '../replay/progress.js';
import { displayPath } from '../replay/result-basics.js';
import type { ReplaySummary } from '../replay/runner.js';
import {
  auditLines,
  commonFolder,
  errorLines,
  problemLines,
  tableFooter,
  tableHeader,
  tableRow,
} from '../replay/table.js';
import type { ReplayResult } from '../replay/types.js';
import { jsonLine, shownText } from '../shown-text.js';
import { WorkerExitError } from '../workers/ordered-pool.js';
import { heldOpenNote } from './held-open.js';
import { loadTimeout } from './load-timeout.js';
import { isReplayChild, oneProcessReplay, replayInChild } from './replay-child-run.js';
import { parseJobs, replayInWorkers } from './replay-parallel.js';
import { openReplaySession, parseReplayArgs, type ReplaySession, resolveReplay } from './replay-session.js';

export { parseFallback, splitList } from './replay-session.js';

/**
 * `wmflow replay`: runs a handler against .eml fixtures on the local stack and
 * prints a table (or JSON lines). Exit code 1 when a message failed (handler
 * error, timeout, invalid response), an expectation was not met, or — unless
 * `--allow-failures` or a met expectation pins it — a rule failed, an edit failed
 * or was skipped for a reason other than nobody receiving it, or the deadline was hit; 0 otherwise.
 * `-j N` replays in N worker processes with the same output and exit code.
 *
 * @example
 * ```ts
 * await replay(['samples/eml', '--function', 'guard', '--org-domain', 'corp.example']);
 * ```
 */
export async function replay(args: string[]): Promise<number> {
  // -j 1 replays in a child whose descriptor 1 is not this stdout: a handler writing to descriptor 1 itself (a
  // logger's default destination) cannot reach the JSON lines, as with -j N (fault round 95).
  const one = oneProcessReplay(args);
  if (one) {
    const code = await replayInChild(args, one.logs);
    if (code !== undefined) return code;
  }
  // In the child: what a handler takes for stdout's descriptor is descriptor 1 (stderr or nothing), as in a worker.
  if (isReplayChild()) (process.stdout as { fd: number }).fd = 1;
  const { values, positionals } = parseReplayArgs(args);
  const resolved = await resolveReplay(values);
  const jobs = parseJobs(values, resolved);
  // A rerun into the folder of an earlier run would mix the two runs' files (fault round 65): refused.
  if (values.out) checkOutDir(values.out);
  const book = await ExpectationBook.load(values.expect);
  const paths = positionals.length > 0 ? positionals : book.fixtures();
  if (paths.length === 0)
    throw new LocalStackError('no fixtures: give files or folders (or --expect MANIFEST)');
  const files = await findMessageFiles(paths);

  const stop = new AbortController();
  const io = captureOutput({ logs: values.logs, onClosed: () => stop.abort() });
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  const onStray = (error: unknown) => {
    if (values.logs) io.err(`wmflow replay: unhandled rejection in the handler: ${String(error)}\n`);
  };
  process.on('unhandledRejection', onStray);
  // A handler that ends the process (process.exit, or an error thrown from a timer) must not leave an exit
  // code that says every message was replayed: it is reported, and the run fails.
  let reported = 0;
  let finished = false;
  // The --out folder, taken for this run below (fault round 72): given back however the run ends.
  let releaseOut = () => {};
  const onExit = (code: number) => {
    if (finished) return;
    writeSync(
      2,
      `wmflow replay: the process ended (exit code ${code}) while replaying ${shownAt(files, reported)}: ${reported} of ${files.length} message(s) reported\n`,
    );
    process.exitCode = code === 0 ? 1 : code;
    releaseOut();
  };
  process.on('exit', onExit);
  let session: ReplaySession | undefined;
  // -j N: a worker ended without waiting for a timer or socket its handler left open; said once, after the run,
  // where one process says it (main.ts, fault round 57).
  let held = false;
  try {
    // A run started meanwhile into the same folder is refused, not mixed with this one (fault round 72).
    if (values.out) releaseOut = claimOutDir(values.out);
    // One process: the stack and the handler live here (what the handler prints at import is captured
    // too). -j N: each worker has its own.
    if (jobs === 1) session = await openReplaySession(values, resolved, book);
    for (const note of session?.notes ?? []) io.err(`wmflow replay: ${note}\n`);
    const progress = new Progress(files.length, io.err, {
      enabled: values.progress || (process.stderr.isTTY === true && (values.json || !process.stdout.isTTY)),
      tty: process.stderr.isTTY === true,
    });
    const skipped = new Map<string, number>();
    // --check compares only fixtures that have an expectation: the others pass unchecked, and the run says so.
    let unchecked = 0;
    let storedMissed = false;
    const failures: ReplayResult[] = [];
    const errors: ReplayResult[] = [];
    const problems: ReplayResult[] = [];
    const audits: ReplayResult[] = [];
    const shown = files.map((f) => displayPath(f));
    const prefix = commonFolder(shown);
    const rows = !values.json && !values.summary;
    // The title, once the handler is loaded: by this process (-j 1, above) or by every worker (-j N), so that a
    // handler that fails to load leaves the same output either way (fault round 55).
    const title = () => {
      if (values.json) return;
      const text = `${shownText(resolved.label)} · ${files.length} message(s)${prefix ? ` in ${shownText(prefix)}` : ''}`;
      io.out(rows ? `${text}\n\n${tableHeader()}` : `${text}\n`);
    };
    if (session) title();
    const onResult = (r: ReplayResult) => {
      reported++;
      progress.tick(r.file);
      if (r.skipped) skipped.set(r.skipped, (skipped.get(r.skipped) ?? 0) + 1);
      else if (values.check && r.check === null && !r.error) unchecked++;
      if (resolved.engine === 'ses' && !storedMissed) storedMissed = missedStoredMessage(r);
      if (values.json) {
        io.out(jsonLine(r));
        return;
      }
      if (rows) io.out(tableRow(r, prefix));
      if (r.check && !r.check.ok && failures.length < 100) failures.push(slim(r));
      else if (r.error && !r.check?.ok && errors.length < 100) errors.push(slim(r));
      const p = problemsOf(r);
      if ((p.failures || p.edit || p.deadline || p.bounce) && problems.length < 100) problems.push(slim(r));
      if ((r.audited?.length ?? 0) > 0 && audits.length < 100) audits.push(slim(r));
    };
    const summary: ReplaySummary | WorkerExitError = session
      ? await (await import('../replay/runner.js')).runReplay({
          ...session.options,
          files,
          signal: stop.signal,
          onResult,
        })
      : await replayInWorkers({
          jobs,
          timeoutMs: resolved.timeoutMs,
          ...loadTimeout(values['load-timeout'], 'replay'),
          handlerName:
            values.handler !== undefined ? `module ${values.handler}` : `--function ${values.function}`,
          args,
          files,
          logs: values.logs,
          signal: stop.signal,
          onResult,
          onReady: title,
          onHeld: () => {
            held = true;
          },
        }).catch((error: unknown) => {
          if (error instanceof WorkerExitError) return error;
          throw error;
        });
    if (summary instanceof WorkerExitError) {
      // The run ends where one process would have ended: the same lines, the same exit code.
      io.err(
        `wmflow replay: a replay worker process ended (exit code ${summary.code}) while replaying ${shownAt(files, reported)}: ${reported} of ${files.length} message(s) reported\n`,
      );
      finished = true;
      return summary.code === 0 || summary.code === null ? 1 : summary.code;
    }
    progress.done();
    for (const [why, n] of skipped)
      io.err(`wmflow replay: note: ${n} message(s) skipped: ${shownText(why)}\n`);
    if (unchecked > 0)
      io.err(
        `wmflow replay: note: ${unchecked} message(s) not checked: no expectation (put <name>.expect.json beside the .eml, or list it in a manifest given with --expect)\n`,
      );
    if (!values.json)
      io.out(
        `${errorLines(errors)}${problemLines(problems)}${auditLines(audits)}${tableFooter(summary, failures)}`,
      );
    if (storedMissed) io.err(storedNote(resolved.userEnv));
    if (session?.stack.proxies) {
      const { flow, s3 } = session.stack.proxies;
      io.err(
        `wmflow replay: faults injected: flow ${JSON.stringify(flow.stats())}, s3 ${JSON.stringify(s3.stats())}\n`,
      );
    }
    finished = true;
    if (held) io.err(heldOpenNote('replay'));
    if (stop.signal.aborted) return 130;
    const problemsFail = summary.unexpectedProblems > 0 && !values['allow-failures'];
    return summary.unexpectedErrors > 0 || summary.checkFailures > 0 || problemsFail ? 1 : 0;
  } finally {
    finished = true;
    releaseOut();
    process.off('exit', onExit);
    process.off('unhandledRejection', onStray);
    process.off('SIGINT', onSignal);
    // The run's output is all written: what a handler prints from now on (a timer firing while the emulators stop or
    // before the process ends) goes where its prints went during the run, never after the lines (fault round 97).
    io.restore(false);
    await session?.close();
  }
}

function shownAt(files: readonly string[], index: number): string {
  const file = files[index];
  return file === undefined ? 'the last message (after its answer)' : shownText(displayPath(file));
}

// What sesFlow's reader says when the S3 action's object is not where `stored` points (core/ses/clients.ts).
const STORED_MISSES = [
  /does not exist: `stored` must name the bucket/,
  /does not exist: the receipt rule needs an S3 action/,
];

/** Whether the handler looked for the stored message somewhere other than where replay stored it. */
function missedStoredMessage(r: ReplayResult): boolean {
  const texts = [r.error?.message ?? '', ...(r.failures ?? []).map((f) => f.error)];
  return texts.some((t) => STORED_MISSES.some((miss) => miss.test(t)));
}

/** The settings that make a handler's `stored` and replay's S3 action agree. */
function storedNote(env: Readonly<Record<string, string>>): string {
  const where = `s3://${env.STORED_BUCKET ?? 'wmflow-inbound'}/${env.STORED_KEY_PREFIX ?? ''}<message id>`;
  return (
    `wmflow replay: note: replay stored each message at ${where}, as the receipt rule's S3 action would, ` +
    'but the handler read it elsewhere: give the bucket and prefix its `stored` names with ' +
    '--env STORED_BUCKET=<bucket> --env STORED_KEY_PREFIX=<prefix>, or let it read `stored` from those ' +
    'variables (docs/moving-off-workmail.md)\n'
  );
}

function slim(r: ReplayResult): ReplayResult {
  return { ...r, recipients: [], verdicts: {}, journaled: [] };
}
