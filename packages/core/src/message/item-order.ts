// The order a flex or grid container draws its items in (attacker round 90). Round 89 read the digit groups of such
// a layout in both orders; items put in any other permutation (`order: 2, 4, 1, 3`, grid areas, a `column-reverse`
// column) were read as written. A browser draws a flex container's items in order-modified document order (by
// `order`, ties in document order), reversed for `row-reverse` and `column-reverse`; a grid places items by their
// explicit lines or named areas. This is that order, from the items' own styles: one stable sort of a container's
// children, so the page's reading stays O(n log n) in its children.

type Get = (property: string) => string | undefined;
type Placed<T> = { node: T; row: number; column: number; order: number; index: number };

const INTEGER = /^[+-]?\d{1,6}$/;
// A line number, or a name (an area's).
const LINE = /^(?:[+-]?\d{1,6}|[a-z_][\w-]{0,63})$/i;

/**
 * `nodes` (a flex or grid container's children) in the order the container draws them; as written where that is
 * not known (a grid item without an explicit place, a text run in a grid), which callers still read in both
 * orders. `styleOf` gives an item's style; undefined for a node that draws nothing (white space, a comment).
 */
export function shownItemOrder<T>(
  nodes: readonly T[],
  container: Get,
  styleOf: (node: T) => Get | undefined,
): readonly T[] {
  const display = container('display') ?? '';
  const grid = /(?:^|[\s-])grid\b/.test(display);
  const reversed =
    !grid &&
    /(?:row|column)-reverse/.test(`${container('flex-direction') ?? ''} ${container('flex-flow') ?? ''}`);
  const areas = grid ? templateAreas(container('grid-template-areas') ?? '') : undefined;
  const items: Placed<T>[] = [];
  let moved = reversed;
  let cursorRow = 1;
  let cursorColumn = 0;
  for (const [index, node] of nodes.entries()) {
    const get = styleOf(node);
    const order = Number.parseInt(INTEGER.exec((get?.('order') ?? '').trim())?.[0] ?? '0', 10);
    if (order !== 0) moved = true;
    let row = 0;
    let column = 0;
    if (grid && get !== undefined) {
      const place = gridPlace(get, areas);
      if (place === undefined) return nodes; // an item the auto-placement puts: not worked out here
      // An item with only a column is put at the cursor's row, one row down when its column is left of the last
      // (CSS Grid 8.5, sparse packing): `grid-column: 4, 3, 2, 1` stacks them, it does not reverse them.
      if (place.row === undefined) {
        if (/column|dense/.test(container('grid-auto-flow') ?? '')) return nodes;
        if (place.column < cursorColumn) cursorRow++;
        cursorColumn = place.column;
        row = cursorRow;
      } else row = place.row;
      column = place.column;
      moved = true;
    }
    items.push({ node, row, column, order, index });
  }
  if (!moved) return nodes;
  items.sort((a, b) => a.row - b.row || a.column - b.column || a.order - b.order || a.index - b.index);
  const shown = items.map((i) => i.node);
  return reversed ? shown.reverse() : shown;
}

// An item's row and column start lines: `grid-area: r / c`, `grid-row`, `grid-column`, their `-start` longhands,
// or a named area of the container's `grid-template-areas`. Undefined for an item without an explicit column.
function gridPlace(
  get: Get,
  areas: Map<string, [number, number]> | undefined,
): { row: number | undefined; column: number } | undefined {
  const area = (get('grid-area') ?? '').split('/').map((s) => s.trim());
  const first = (value: string | undefined) => {
    const line = (value ?? '').split('/')[0]?.trim() ?? '';
    return LINE.test(line) && line !== 'auto' ? line : undefined;
  };
  let row = first(get('grid-row-start')) ?? first(get('grid-row')) ?? first(area[0]);
  let column = first(get('grid-column-start')) ?? first(get('grid-column')) ?? first(area[1]);
  // `grid-area: name` names an area: its first row and column.
  const named = row !== undefined && !INTEGER.test(row) ? areas?.get(row.toLowerCase()) : undefined;
  if (named !== undefined) [row, column] = [String(named[0]), String(named[1])];
  // Negative lines count from the grid's end, which is not worked out here.
  if (column === undefined || !INTEGER.test(column) || Number(column) < 1) return undefined;
  if (row !== undefined && !(INTEGER.test(row) && Number(row) >= 1)) return undefined;
  return { row: row === undefined ? undefined : Number(row), column: Number(column) };
}

// `"d b" "a c"` → d at (1, 1), b at (1, 2), a at (2, 1), c at (2, 2): each name's first cell.
function templateAreas(value: string): Map<string, [number, number]> {
  const areas = new Map<string, [number, number]>();
  let row = 0;
  for (const match of value.slice(0, 4096).matchAll(/"([^"]*)"|'([^']*)'/g)) {
    row++;
    let column = 0;
    for (const name of (match[1] ?? match[2] ?? '').trim().split(/\s+/)) {
      column++;
      const key = name.toLowerCase();
      if (key !== '' && !/^\.+$/.test(key) && !areas.has(key)) areas.set(key, [row, column]);
    }
  }
  return areas;
}
