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
  /** Whether that line follows a bare CR: a line end to some clients, not to the walk (LF only). */
  afterCr?: boolean;
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
    keepLastLine(fence, text);
    return;
  }
  // Bare CR ends a line too: some clients read it so. A CR that ends the piece may be half of a CRLF: it is
  // read with the next piece.
  const parts = text.split(/(\r\n|\n|\r)/);
  let rest = parts.pop() ?? '';
  if (rest === '' && parts.at(-1) === '\r') {
    parts.pop();
    rest = `${parts.pop() ?? ''}\r`;
  }
  fence.carry = rest.slice(0, 1000);
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] as string;
    // The walk ends lines at LF only: a line next to a bare CR is not one of its lines, even when it is exactly
    // a delimiter (`Notes.<CR>--b<CR>Content-Type: …`), and a client that ends lines there starts a part.
    const walkLine = !fence.afterCr && parts[i + 1] !== '\r';
    fence.afterCr = parts[i + 1] === '\r';
    if (fence.pending !== undefined && line.trim() !== '') {
      fence.problem = fence.pending;
      return;
    }
    if (!line.startsWith('--')) continue;
    const shown = line.trimEnd();
    for (const b of fence.boundaries) {
      const delimiter = `--${b}`;
      if (!shown.startsWith(delimiter)) continue;
      if (walkLine && (shown === delimiter || shown === `${delimiter}--`)) continue;
      // A ruler of dashes is not a delimiter, unless the boundary is itself dashes.
      if (/^-+$/.test(shown) && !/^-+$/.test(b)) continue;
      fence.pending = `a line inside the part starts like the delimiter ${delimiter.slice(0, 80)}: ${shown.slice(0, 80)}`;
      break;
    }
  }
}

// Only the line still being read is kept, and whether a bare CR came before it.
function keepLastLine(fence: Fence, text: string): void {
  const held = text.endsWith('\r') ? 1 : 0;
  const end = text.length - held;
  if (end === 0) {
    fence.carry = text;
    return;
  }
  const lf = text.lastIndexOf('\n', end - 1);
  const cr = text.lastIndexOf('\r', end - 1);
  if (lf >= 0 || cr >= 0) fence.afterCr = cr > lf;
  fence.carry = text.slice(Math.max(lf, cr) + 1).slice(0, 1000);
}
