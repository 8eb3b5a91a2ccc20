// The order a browser draws a container's boxes in, where the markup writes them in another (attacker round 99).
// Round 89 read the digit groups of such a layout in both orders, round 90 laid out flex and grid items; boxes that
// hold more than one group each were still read as written: two `float: right` spans of two groups (the second
// drawn left of the first), SVG `<text>`s and `<tspan>`s placed by `x`, absolutely positioned spans. This is the
// drawn order of a container's children where the layout decides it — floats at their line's edges, boxes taken
// out of the line to known places sorted by where they are put — and says where it does not (a box moved by an
// offset, a transform or a negative margin; boxes in a right-to-left line), which the readers then also read in
// the other order. One pass over the children and one stable sort of the placed ones: O(n log n) per container.

/** Where a container's child is drawn, as far as the readers work it out. */
export type Placement =
  /** Draws nothing (white space, a comment, an SVG shape). */
  | { kind: 'none' }
  /** In the line, where written. */
  | { kind: 'flow' }
  /** In the flow, and starts a line of its own (a block, a `<br>`). */
  | { kind: 'break' }
  /** Floated to a side of its line. */
  | { kind: 'float'; side: 'left' | 'right' }
  /**
   * Taken out of the line to a known place: `y` down, then `x` from the left or `fromRight` from the right edge;
   * `anchor`, an SVG chunk's `text-anchor`.
   */
  | { kind: 'placed'; y: number; x?: number; fromRight?: number; anchor?: string }
  /** Moved by what the readers do not work out (an offset, a transform, a negative margin, a path). */
  | { kind: 'moved' };

/** A container's children in the order drawn, and whether that order is not decided. */
export interface BoxOrder<T> {
  nodes: readonly T[];
  /** The order is not worked out: the readers also read the boxes the other way round. */
  unsure: boolean;
  /** Children taken out of the line to a decided place (floated, placed): read apart from their neighbours. */
  apart: ReadonlySet<T>;
}

const NONE: ReadonlySet<never> = new Set();

/**
 * `nodes` in the order a browser draws them: on each line (children between two that start a line), left floats
 * first and right floats last, the later drawn left of the earlier (`float: right` lays boxes from the right edge
 * leftwards); boxes taken out of the line to known places in the slots such boxes take, sorted by row then column
 * (`left`, or `right` from the right edge; an SVG chunk's `y` and `x`). Unsure where a box is moved by what is not
 * worked out, where placed boxes share the container with text in the line or mix edges or anchors, and, for a
 * right-to-left container (`rtl`), where two or more children draw something (isolated and atomic boxes are laid
 * right to left, each box's own text in its own direction).
 *
 * @example
 * ```ts
 * drawnBoxOrder(['a', 'b'], () => ({ kind: 'float', side: 'right' }), false).nodes; // ['b', 'a']
 * ```
 */
export function drawnBoxOrder<T>(
  nodes: readonly T[],
  placementOf: (node: T) => Placement,
  rtl: boolean,
): BoxOrder<T> {
  const places = nodes.map(placementOf);
  let unsure = false;
  let drawn = 0;
  let flowing = false;
  let floats = false;
  const placed: number[] = [];
  let edges = 0; // 1: from the left, 2: from the right
  let anchor: string | undefined;
  for (const [i, place] of places.entries()) {
    if (place.kind !== 'none') drawn++;
    if (place.kind === 'moved') unsure = true;
    else if (place.kind === 'flow') flowing = true;
    else if (place.kind === 'float') floats = true;
    else if (place.kind === 'placed') {
      placed.push(i);
      edges |= place.x !== undefined ? 1 : 2;
      if (anchor !== undefined && (place.anchor ?? 'start') !== anchor) unsure = true;
      anchor = place.anchor ?? 'start';
    }
  }
  if (placed.length > 0 && (flowing || edges === 3)) unsure = true;
  if (rtl && drawn >= 2) unsure = true;
  if (placed.length === 0 && !floats && !unsure) return { nodes, unsure, apart: NONE };
  // Floats, and placed boxes once their order is decided, are read apart; where it is not, the children are read
  // as written, as before (a box nudged inside a group, `41<span style="left:1px">11</span>`, keeps the group whole).
  const apart = new Set<T>();
  for (const [i, place] of places.entries())
    if (place.kind === 'float' || (place.kind === 'placed' && !unsure)) apart.add(nodes[i] as T);
  // Placed boxes, sorted, in the slots they are written at.
  const order = nodes.map((_, i) => i);
  if (placed.length > 1) {
    const key = (i: number) => {
      const p = places[i] as Extract<Placement, { kind: 'placed' }>;
      return p.x ?? -(p.fromRight ?? 0);
    };
    const sorted = [...placed].sort(
      (a, b) => (places[a] as { y: number }).y - (places[b] as { y: number }).y || key(a) - key(b) || a - b,
    );
    for (const [slot, i] of placed.entries()) order[i] = sorted[slot] as number;
  }
  if (!floats) return { nodes: order.map((i) => nodes[i] as T), unsure, apart };
  // Each line: its left floats, what it holds in the line, its right floats from the last to the first.
  const out: T[] = [];
  let line: { left: T[]; middle: T[]; right: T[] } = { left: [], middle: [], right: [] };
  const flush = () => {
    out.push(...line.left, ...line.middle, ...line.right.reverse());
    line = { left: [], middle: [], right: [] };
  };
  for (const i of order) {
    const place = places[i] as Placement;
    const node = nodes[i] as T;
    if (place.kind === 'break') {
      flush();
      out.push(node);
    } else if (place.kind === 'float') (place.side === 'left' ? line.left : line.right).push(node);
    else line.middle.push(node);
  }
  flush();
  return { nodes: out, unsure, apart };
}
