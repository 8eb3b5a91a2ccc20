import { relative } from 'node:path';
import type { ReplayResult } from './types.js';

// Kept apart from the runner: the parent of `replay -j N` prints results without loading what replays them.

/**
 * The result of a message that could not be replayed at all (unreadable file, worker gone).
 *
 * @example
 * ```ts
 * failedResult('a.eml', { name: 'ENOENT', message: 'gone' }, performance.now()).error?.name; // 'ENOENT'
 * ```
 */
export function failedResult(
  file: string,
  error: { name: string; message: string },
  started: number,
): ReplayResult {
  return {
    file,
    messageId: '',
    direction: 'INBOUND',
    synchronous: true,
    mailFrom: '',
    recipients: [],
    verdicts: {},
    rulesFired: [],
    rewritten: null,
    journaled: [],
    error,
    durationMs: Math.round(performance.now() - started),
    check: null,
    failures: [],
    edit: { status: 'none' },
    deadlineHit: false,
  };
}

/** A path relative to the working folder when under it, else as given. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}
