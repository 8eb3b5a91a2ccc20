import { type MessageHeaders, normalizeAddress } from '@wmflow/core';
import type { Expectation } from './expect.js';
import type { ReplayResult } from './types.js';

/**
 * Compares a replay result with its expectation; returns one line per
 * difference (`what: expected …, got …`), empty when everything matches.
 * `delivered` is the header block of the message as it would be delivered
 * (the committed rewrite, else the original).
 *
 * @example
 * ```ts
 * compareOutcome({ verdicts: { '*': 'DEFAULT' } }, result, headers); // []
 * ```
 */
export function compareOutcome(
  expected: Expectation,
  actual: ReplayResult,
  delivered: MessageHeaders,
): string[] {
  const out: string[] = [];
  const diff = (what: string, want: unknown, got: unknown) =>
    out.push(`${what}: expected ${show(want)}, got ${show(got)}`);

  // A message the handler skipped (the other direction) got no verdict: `"*"` would hold of no recipient and be met
  // vacuously, so an expectation of verdicts is not met, and the line says why (newcomer round 5).
  if (expected.verdicts && actual.skipped)
    out.push(
      `verdicts: expected ${show(expected.verdicts)}, got none: the message was skipped (${actual.skipped}); replay it in the handler's direction (--direction, --org-domain, or "direction" in the expectation)`,
    );
  else if (expected.verdicts) {
    const named = new Set(
      Object.keys(expected.verdicts)
        .filter((k) => k !== '*')
        .map(normalizeAddress),
    );
    const wildcard = expected.verdicts['*'];
    for (const [recipient, want] of Object.entries(expected.verdicts)) {
      if (recipient === '*') continue;
      const got = verdictOf(actual, recipient);
      if (!verdictMatches(want, got)) diff(`verdict of ${recipient}`, want, got ?? 'no verdict');
    }
    if (wildcard !== undefined) {
      for (const [recipient, got] of Object.entries(actual.verdicts)) {
        if (named.has(normalizeAddress(recipient))) continue;
        if (!verdictMatches(wildcard, got)) diff(`verdict of ${recipient} (*)`, wildcard, got);
      }
    }
  }
  if (expected.rulesFired) {
    const want = [...expected.rulesFired].sort();
    const got = [...actual.rulesFired].sort();
    if (want.join('\n') !== got.join('\n')) diff('rules fired', want, got);
  }
  if (expected.rewritten !== undefined && expected.rewritten !== (actual.rewritten !== null)) {
    diff('rewritten', expected.rewritten, actual.rewritten !== null);
  }
  if (expected.subjectPrefix !== undefined) {
    const subject = delivered.subject;
    if (!subject.startsWith(expected.subjectPrefix)) diff('subject prefix', expected.subjectPrefix, subject);
  }
  for (const [name, want] of Object.entries(expected.headers ?? {})) {
    const got = delivered.has(name) ? delivered.decoded(name) : undefined;
    if (want === true && got === undefined) diff(`header ${name}`, 'present', 'absent');
    else if ((want === false || want === null) && got !== undefined) diff(`header ${name}`, 'absent', got);
    else if (typeof want === 'string' && got !== want) diff(`header ${name}`, want, got ?? 'absent');
  }
  if (expected.journaled !== undefined) {
    const count = actual.journaled.length;
    const ok =
      typeof expected.journaled === 'number'
        ? count === expected.journaled
        : expected.journaled === count > 0;
    if (!ok)
      diff('journaled', expected.journaled, typeof expected.journaled === 'number' ? count : count > 0);
  }
  if (expected.error !== undefined) {
    const e = actual.error;
    const got = e ? `${e.name}: ${e.message}` : false;
    const ok =
      typeof expected.error === 'boolean'
        ? expected.error === (e !== null)
        : e !== null && (e.name === expected.error || e.message.includes(expected.error));
    if (!ok) diff('error', expected.error, got);
  }
  compareProblems(expected, actual, diff);
  return out;
}

function compareProblems(
  expected: Expectation,
  actual: ReplayResult,
  diff: (what: string, want: unknown, got: unknown) => void,
): void {
  const f = expected.failures;
  if (f !== undefined) {
    const rules = actual.failures.map((x) => x.rule);
    const ok =
      typeof f === 'boolean'
        ? f === rules.length > 0
        : typeof f === 'number'
          ? f === rules.length
          : [...f].sort().join('\n') === [...rules].sort().join('\n');
    if (!ok) diff('rule failures', f, rules);
  }
  if (expected.edit !== undefined) {
    const want = typeof expected.edit === 'string' ? { status: expected.edit } : expected.edit;
    const got = actual.edit;
    const ok =
      want.status === got.status && (want.reason === undefined || (got.reason ?? '').includes(want.reason));
    if (!ok) diff('edit', want, got);
  }
  if (expected.deadlineHit !== undefined && expected.deadlineHit !== actual.deadlineHit) {
    diff('deadline hit', expected.deadlineHit, actual.deadlineHit);
  }
}

function verdictOf(actual: ReplayResult, recipient: string): string | undefined {
  const key = Object.keys(actual.verdicts).find((r) => normalizeAddress(r) === normalizeAddress(recipient));
  return key === undefined ? undefined : actual.verdicts[key];
}

/** `BOUNCE` matches any bounce; `BOUNCE:<message>` only that message; other types match exactly. */
function verdictMatches(want: string, got: string | undefined): boolean {
  if (got === undefined) return false;
  if (want === 'BOUNCE') return got === 'BOUNCE' || got.startsWith('BOUNCE:');
  return want === got;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}
