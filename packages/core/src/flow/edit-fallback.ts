import { normalizeAddress } from '../address.js';
import type { Edit } from '../edit/edits.js';
import { type Verdict, verdictKey } from '../verdicts.js';

const RECEIVES = new Set(['DEFAULT', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK']);

/**
 * Strip means stripped, or not delivered: when the update was not committed, every recipient a
 * `remove-parts` edit with a fallback covers, and who would still receive the message, gets that
 * fallback instead. Returns a line per edit applied, for the log.
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
    if (edit.kind !== 'remove-parts' || !edit.fallback) continue;
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
        `parts ${edit.ids.join(', ')} were not removed (${why}): ${verdictKey(edit.fallback.verdict)} for ${count} recipient(s)`,
      );
  }
  return lines;
}
