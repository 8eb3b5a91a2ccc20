import type { OutcomeDiff, PolicyOutcome } from './types.js';

/**
 * How `after` (the candidate) differs from `before` (the baseline) for one
 * message: verdicts per recipient, rules fired, the edit and the error.
 * Rules fired alone do not make a message "changed": only what WorkMail would
 * do differently (verdicts, the edit, a failure) does. An `unknown` baseline
 * edit (the recording) is not compared.
 *
 * @example
 * ```ts
 * compareOutcomes(baseline, candidate).changed; // true when some recipient's verdict differs
 * ```
 */
export function compareOutcomes(before: PolicyOutcome, after: PolicyOutcome): OutcomeDiff {
  const verdicts: OutcomeDiff['verdicts'] = [];
  const recipients = new Set([...Object.keys(before.verdicts), ...Object.keys(after.verdicts)]);
  for (const recipient of recipients) {
    // A policy that skipped the message (other direction) never saw it: WorkMail delivers it as usual.
    const b = before.verdicts[recipient] ?? (before.skipped ? 'DEFAULT' : 'NONE');
    const a = after.verdicts[recipient] ?? (after.skipped ? 'DEFAULT' : 'NONE');
    if (a !== b) verdicts.push({ recipient, before: b, after: a });
  }
  const beforeRules = new Set(before.rulesFired);
  const afterRules = new Set(after.rulesFired);
  const rules = {
    added: [...afterRules].filter((r) => !beforeRules.has(r)),
    removed: [...beforeRules].filter((r) => !afterRules.has(r)),
  };
  const editOf = (o: PolicyOutcome) => [o.edit.status, ...o.edit.changes].join('; ');
  const unknown = before.edit.status === 'unknown';
  const edit =
    unknown || editOf(before) === editOf(after) ? null : { before: editOf(before), after: editOf(after) };
  const errorOf = (o: PolicyOutcome) => (o.error ? `${o.error.name}: ${o.error.message}` : null);
  const error =
    errorOf(before) === errorOf(after) ? null : { before: errorOf(before), after: errorOf(after) };
  return { changed: verdicts.length > 0 || edit !== null || error !== null, verdicts, rules, edit, error };
}
