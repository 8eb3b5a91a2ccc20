// Lines inside a part that start like a delimiter of an enclosing multipart (`--b` then more: `--bX`) are
// not delimiters to the walk (RFC 2046 wants the boundary alone on its line) but are to a client that
// matches the boundary as a prefix, which would start a part there that the walk never sees. Such a line is
// a finding, as in a multipart's preamble or epilogue (walk-steps.ts), once anything but blank lines
// follows it (a broken closing delimiter such as `--b-` at the end of a message starts nothing).

/** The scan of one part's raw body for delimiter-like lines. */
export interface Fence {
  boundaries: readonly string[];
  /** The line being read (its first 1,000 characters: enough to see how it starts). */
  carry: string;
  /** The first such line, cut short, while only blank lines follow it. */
  pending?: string;
  /** Why the part is a finding: such a line with content after it. */
  problem?: string;
}

/** A scan for a part under multiparts with these boundaries; none when there are none. */
export function newFence(boundaries: readonly string[]): Fence | undefined {
  return boundaries.length > 0 ? { boundaries, carry: '' } : undefined;
}

/**
 * Reads a piece of the part's raw (transfer-encoded) body. Linear: text without `--` keeps only its last
 * line; other lines are compared with each enclosing boundary (at most the nesting limit).
 *
 * @example
 * ```ts
 * const fence = newFence(['b']) as Fence;
 * scanFence(fence, Buffer.from('hello\r\n--bX\r\nContent-Type: text/plain\r\n'));
 * fence.problem; // 'a line inside the part starts like the delimiter --b: --bX'
 * ```
 */
export function scanFence(fence: Fence, value: Buffer): void {
  if (fence.problem) return;
  const text = fence.carry + value.toString('latin1');
  if (!text.includes('--') && fence.pending === undefined) {
    fence.carry = text.slice(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1).slice(0, 1000);
    return;
  }
  // Bare CR ends a line too: some clients read it so.
  const lines = text.split(/\r\n|\r|\n/);
  fence.carry = (lines.pop() ?? '').slice(0, 1000);
  for (const line of lines) {
    if (fence.pending !== undefined && line.trim() !== '') {
      fence.problem = fence.pending;
      return;
    }
    if (!line.startsWith('--')) continue;
    const shown = line.trimEnd();
    for (const b of fence.boundaries) {
      const delimiter = `--${b}`;
      if (!shown.startsWith(delimiter) || shown === delimiter || shown === `${delimiter}--`) continue;
      // A ruler of dashes is not a delimiter, unless the boundary is itself dashes.
      if (/^-+$/.test(shown) && !/^-+$/.test(b)) continue;
      fence.pending = `a line inside the part starts like the delimiter ${delimiter.slice(0, 80)}: ${shown.slice(0, 80)}`;
      break;
    }
  }
}
