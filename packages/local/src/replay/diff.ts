import { headerBlock } from './envelope.js';

/** Header blocks longer than this (in lines) are summarised instead of diffed line by line. */
const MAX_DIFF_LINES = 2000;

/**
 * A readable account of what a rewrite changed: a unified diff of the header
 * blocks (every header line shown, `-` removed, `+` added) and a summary of the
 * body: the changes the handler reported, and lines removed and added.
 *
 * @example
 * ```ts
 * describeRewrite('01-plain-text.eml', original, rewritten, ['subject: tag "[EXTERNAL]"']);
 * ```
 */
export function describeRewrite(
  name: string,
  original: Buffer,
  rewritten: Buffer,
  reported: readonly string[] = [],
): string {
  const oldHead = headerBlock(original);
  const newHead = headerBlock(rewritten);
  const out = [`--- a/${name}`, `+++ b/${name} (rewritten)`];
  const a = lines(oldHead);
  const b = lines(newHead);
  out.push(`@@ -1,${a.length} +1,${b.length} @@ headers`);
  out.push(...lineDiff(a, b));
  const oldBody = original.subarray(oldHead.length);
  const newBody = rewritten.subarray(newHead.length);
  out.push('', '# body');
  if (oldBody.equals(newBody)) out.push('unchanged');
  else {
    const { removed, added } = lineCounts(lines(oldBody), lines(newBody));
    out.push(`${oldBody.length} -> ${newBody.length} bytes, ${removed} line(s) removed, ${added} added`);
  }
  if (reported.length > 0)
    out.push('', '# changes reported by the handler', ...reported.map((c) => `- ${c}`));
  return `${out.join('\n')}\n`;
}

function lines(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const list = text.split(/\r?\n/);
  if (list.at(-1) === '') list.pop();
  return list;
}

/** Every line of `a` and `b` in order, prefixed ` `, `-` or `+` (longest common subsequence). */
function lineDiff(a: string[], b: string[]): string[] {
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    const { removed, added } = lineCounts(a, b);
    return [`(header blocks too long to diff: ${removed} line(s) removed, ${added} added)`];
  }
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const next = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i++]}`);
      j++;
    } else if (i < n && (j === m || (table[i + 1]?.[j] as number) >= (table[i]?.[j + 1] as number))) {
      out.push(`-${a[i++]}`);
    } else {
      out.push(`+${b[j++]}`);
    }
  }
  return out;
}

/** Lines only in `a` (removed) and only in `b` (added), counted as multisets: linear time. */
function lineCounts(a: string[], b: string[]): { removed: number; added: number } {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of b) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added++;
  }
  let removed = 0;
  for (const left of counts.values()) removed += left;
  return { removed, added };
}
