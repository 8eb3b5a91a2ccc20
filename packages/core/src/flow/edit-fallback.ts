import { normalizeAddress } from '../address.js';
import type { Edit } from '../edit/edits.js';
import { type Verdict, verdictKey } from '../verdicts.js';

/** Verdicts under which a recipient receives the message. */
export const RECEIVES: ReadonlySet<string> = new Set(['DEFAULT', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK']);

/** The bounce of a recipient who would receive an attachment a rule asked to remove, when it could not be. */
export const STRIP_FALLBACK_MESSAGE =
  'Your message was not delivered: it carries an attachment the recipient does not accept, and it could not be removed.';

/**
 * Strip means stripped, or not delivered: when the update was not committed, every recipient a
 * `remove-parts` edit with a fallback covers, and who would still receive the message, gets that
 * fallback instead; so does a `prefix-subject` or `disclaimer` edit with one (a warning tag not shown:
 * attacker round 101). Returns a line per edit applied, for the log.
 */
export function applyEditFallbacks(
  verdicts: Map<string, Verdict>,
  edits: readonly Edit[],
  committed: boolean,
  why: string,
): string[] {
  if (committed) return [];
  const lines: string[] = [];
  const keys = new Map([...verdicts.keys()].map((k) => [normalizeAddress(k), k]));
  for (const edit of edits) {
    if (!('fallback' in edit) || !edit.fallback) continue;
    let count = 0;
    for (const r of edit.fallback.recipients) {
      const key = keys.get(normalizeAddress(r));
      const current = key === undefined ? undefined : verdicts.get(key);
      if (key === undefined || !current || !RECEIVES.has(current.type)) continue;
      verdicts.set(key, edit.fallback.verdict);
      count++;
    }
    if (count > 0)
      lines.push(
        `${edit.kind === 'remove-parts' ? `parts ${edit.ids.join(', ')} were not removed` : `the ${edit.kind} edit was not committed`} (${why}): ${verdictKey(edit.fallback.verdict)} for ${count} recipient(s)`,
      );
  }
  return lines;
}
