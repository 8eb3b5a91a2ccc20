import { shownText } from '../shown-text.js';
import { isEditProblem, problemsOf } from './problems.js';
import type { ReplaySummary } from './runner.js';
import type { ReplayResult } from './types.js';

/**
 * Column widths; with the separators the table is 100 characters wide. RESULT, the last column, may run past
 * its width (to 24 characters): `✗ NOT AS EXPECTED` is shown whole, as the docs show it.
 */
const COLUMNS = [
  { title: 'FILE', width: 24 },
  { title: 'DIR', width: 3 },
  { title: 'VERDICTS', width: 18 },
  { title: 'RULES FIRED', width: 24 },
  { title: 'RW', width: 3 },
  { title: 'S3', width: 2 },
  { title: 'RESULT', width: 14 },
] as const;

const SHORT: Record<string, string> = { MOVE_TO_JUNK: 'JUNK', BYPASS_SPAM_CHECK: 'BYPASS' };

/**
 * The table of `wmflow replay`: a header, one row per message as it is done
 * (rows stream; nothing is kept), then the totals and the expectation
 * differences.
 *
 * @example
 * ```ts
 * process.stdout.write(tableHeader());
 * process.stdout.write(tableRow(result));
 * ```
 */
export function tableHeader(): string {
  const head = COLUMNS.map((c) => c.title.padEnd(c.width)).join('  ');
  return `${head.trimEnd()}\n${COLUMNS.map((c) => '─'.repeat(c.width)).join('  ')}\n`;
}

/**
 * The folder every file is in (with its trailing separator), shown once above
 * the table and cut from each row; empty when there is none.
 */
export function commonFolder(files: readonly string[]): string {
  let prefix: string | undefined;
  for (const f of files) {
    const folder = f.slice(0, f.lastIndexOf('/') + 1);
    if (prefix === undefined) prefix = folder;
    while (!folder.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  }
  return prefix ?? '';
}

/** One row: file, direction, verdicts summary, rules fired, rewritten, journaled count, result. */
export function tableRow(r: ReplayResult, prefix = ''): string {
  const file = prefix && r.file.startsWith(prefix) ? r.file.slice(prefix.length) : r.file;
  const cells = [
    cut(file, COLUMNS[0].width, true),
    r.messageId === '' ? '-' : r.direction === 'INBOUND' ? 'IN' : 'OUT',
    verdictSummary(r),
    r.rulesFired.length === 0
      ? '-'
      : r.rulesFired.map((n) => (auditedRule(r, n) ? `${n}(audit)` : n)).join(','),
    r.rewritten ? 'yes' : '-',
    r.journaled.length === 0 ? '-' : String(r.journaled.length),
    resultCell(r),
  ];
  const last = cells.length - 1;
  return `${cells
    .map((c, i) =>
      i === last ? cut(c, 24) : cut(c, COLUMNS[i]?.width ?? 10).padEnd(COLUMNS[i]?.width ?? 10),
    )
    .join('  ')
    .trimEnd()}\n`;
}

/** Verdicts grouped by type: `DEFAULT`, `BOUNCE×2 DEFAULT`, … (async: `(async)`). */
export function verdictSummary(r: ReplayResult): string {
  const counts = new Map<string, number>();
  for (const v of Object.values(r.verdicts)) {
    const type = v.split(':')[0] as string;
    const short = SHORT[type] ?? type;
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  if (counts.size === 0) return '-';
  const total = Object.keys(r.verdicts).length;
  const text =
    counts.size === 1
      ? `${[...counts.keys()][0]}${total > 1 ? ` (all ${total})` : ''}`
      : [...counts].map(([t, n]) => `${t}×${n}`).join(' ');
  return r.synchronous ? text : `${text} async`;
}

function resultCell(r: ReplayResult): string {
  if (r.check && !r.check.ok) return '✗ NOT AS EXPECTED';
  if (r.error) return `! ${r.error.name}`;
  if (r.skipped) return 'skipped';
  const pinned = r.check?.pinned;
  const [problem, expected] = r.deadlineHit
    ? ['! deadline', pinned?.deadline]
    : r.failures.length > 0
      ? ['! rule failed', pinned?.failures]
      : isEditProblem(r.edit)
        ? [`! edit ${r.edit.status}`, pinned?.edit]
        : problemsOf(r).bounce
          ? ['! bounce error', pinned?.bounce]
          : ['', false];
  // A ✓ only for a problem the met expectation declares: any other fails the run, and the row says so.
  if (problem) return expected ? `✓ ${problem.slice(2)}` : problem;
  // Held for the quarantine rule (SES STOP_RULE): not delivered, so never `ok` alone (fault round 70).
  if (r.held) return r.check ? '✓ as expected (held)' : 'held';
  return r.check ? '✓ as expected' : 'ok';
}

/**
 * What went wrong in a message besides an error, one line each: rule failures (rule, error, policy
 * applied), an edit that failed or was skipped (with the reason), a deadline hit, an SES bounce not sent.
 *
 * @example
 * ```ts
 * problemLines([result]); // "\n! 03.eml: rule x failed: boom (rule x, policy fail-open)\n"
 * ```
 */
export function problemLines(results: readonly ReplayResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const file = shownText(r.file);
    for (const f of r.failures)
      lines.push(
        `! ${file}: ${shownText(f.error)} (rule ${shownText(f.rule)}, policy ${shownText(f.policy)})${bucketHint(f.error)}`,
      );
    if (isEditProblem(r.edit))
      lines.push(
        `! ${file}: edit ${r.edit.status}: ${shownText(r.edit.reason ?? '')}${bucketHint(r.edit.reason)}`,
      );
    if (r.deadlineHit) lines.push(`! ${file}: deadline hit: open recipients got the fallback verdict`);
    if (r.bounce?.status === 'failed')
      lines.push(
        `! ${file}: bounce not sent (${shownText(r.bounce.reason ?? 'unknown')}): ${shownText(r.bounce.recipients.join(', '))} dropped, the sender is not told${r.bounce.reason === NO_BOUNCE_SENDER ? BOUNCE_SENDER_HINT : ''}`,
      );
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

/** sesFlow's reason for a bounce it could not send because it was given no sender (core's ses-flow.ts). */
const NO_BOUNCE_SENDER = 'no bounceSender configured';

/**
 * Where a bounce sender comes from (newcomer round 11: `wmflow init --engine ses`'s handler reads BOUNCE_SENDER, which
 * its stack sets and a local replay does not, so a ported rule that bounces failed `npm test` with no word of it).
 */
const BOUNCE_SENDER_HINT =
  ' (give the handler one: sesFlow({ bounceSender }); a handler that reads it from BOUNCE_SENDER, as the one `wmflow init --engine ses` writes: --env BOUNCE_SENDER=postmaster@<your domain>)';

/**
 * What each rule in audit mode would have settled, one line each: the RULES FIRED cell marks such a rule
 * `(audit)` but is cut at 24 characters, and the point of audit mode is to see whom it would decide for
 * (newcomer round 6). Nothing was applied.
 *
 * @example
 * ```ts
 * auditLines([result]); // "\n~ a.eml: rule bounce (audit) would settle bob@x BOUNCE:No.; nothing applied\n"
 * ```
 */
export function auditLines(results: readonly ReplayResult[]): string {
  const lines: string[] = [];
  for (const r of results)
    for (const a of r.audited ?? []) {
      const settled = Object.entries(a.wouldSettle).map(([who, verdict]) => `${who} ${verdict}`);
      lines.push(
        `~ ${shownText(r.file)}: rule ${shownText(a.rule)} (audit) would settle ${settled.length === 0 ? 'nobody' : shownText(settled.join(', '))}; nothing applied`,
      );
    }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

/** The totals line, and each failed expectation's differences. */
export function tableFooter(summary: ReplaySummary, failures: readonly ReplayResult[]): string {
  const verdicts = Object.entries(summary.verdicts)
    .map(([t, n]) => `${n} ${SHORT[t] ?? t}`)
    .join(', ');
  const lines = [
    '',
    `${summary.messages} message(s) in ${(summary.durationMs / 1000).toFixed(1)} s` +
      (summary.checked > 0
        ? ` · expectations ${summary.checked - summary.checkFailures}/${summary.checked} met`
        : ''),
    `verdicts: ${verdicts || 'none'} · ${summary.rewritten} rewritten · ` +
      `${summary.journaled} S3 object(s) journaled · ${summary.errors} error(s)`,
    `${summary.ruleFailures} with rule failures · ${summary.editProblems} with edit problems · ` +
      `${summary.deadlineHits} deadline hit(s)` +
      (summary.bounceFailures > 0 ? ` · ${summary.bounceFailures} bounce(s) not sent` : '') +
      (summary.held ? ` · ${summary.held} held (the quarantine rule keeps it)` : ''),
  ];
  for (const r of failures) {
    lines.push(
      '',
      `✗ ${shownText(r.file)}${r.error ? `  (${shownText(r.error.name)}: ${shownText(r.error.message)})${bucketHint(r.error.message)}` : ''}`,
    );
    for (const d of r.check?.differences ?? []) lines.push(`    ${shownText(d)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Errors of the run, one line each (the table cuts them). */
export function errorLines(errors: readonly ReplayResult[]): string {
  if (errors.length === 0) return '';
  return `\n${errors.map((r) => `! ${shownText(r.file)}: ${shownText(r.error?.name ?? '')}: ${shownText(r.error?.message ?? '')}${bucketHint(r.error?.message)}`).join('\n')}\n`;
}

/**
 * The local S3 has only the buckets replay created (`--bucket`, variables ending in `_BUCKET`): a handler that
 * names its updates bucket in code (`updates: { bucket: 'corp-workmail-updates' }`), or a journal that names
 * its bucket (`journalToS3({ bucket: 'corp-journal' })`), finds none there. S3 says `NoSuchBucket`, or only its
 * message (`The specified bucket does not exist`); the bucket is named when the text shows it (`s3://NAME/…`).
 */
function bucketHint(reason: string | undefined): string {
  if (!reason || !/NoSuchBucket|The specified bucket does not exist/.test(reason)) return '';
  const named = /s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/|\s|$)/.exec(reason)?.[1];
  return ` (the local S3 has only the buckets replay made: pass the bucket the handler names with --bucket ${named ?? 'NAME'})`;
}

// A cell is one line of what a terminal draws: what it would act on is escaped first (attacker round 81).
function cut(text: string, width: number, keepEnd = false): string {
  const flat = shownText(text.replace(/\s+/g, ' '));
  if (flat.length <= width) return flat;
  return keepEnd ? `…${flat.slice(flat.length - width + 1)}` : `${flat.slice(0, width - 1)}…`;
}

// A rule in audit mode decided nothing: the table says so beside its name.
function auditedRule(r: ReplayResult, name: string): boolean {
  return r.audited?.some((a) => a.rule === name) ?? false;
}
