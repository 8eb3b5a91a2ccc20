import { cssCalls, fraction, type LengthContext, lengthPx, splitTop } from './css-values.js';

// Transforms as a browser applies them: a transform list and the individual `translate`, `rotate` and `scale`
// properties multiplied into one 4×4 matrix about the transform origin, then judged: squashed, moved off the
// page, turned edge-on or away, or not worked out.

/** How an element's box is placed in 3D, for {@link transformHides}. */
export interface TransformContext extends LengthContext {
  /** An ancestor sets `perspective` or turns in 3D: the box's own 3D turns and depth are projected. */
  inDepth?: boolean;
  /** `backface-visibility: hidden`: the box is not drawn once turned to show its back. */
  backfaceHidden?: boolean;
  /** `transform-origin` as written (lower case); the box's centre when not given. */
  origin?: string;
  /** The box's width and height in pixels where its style sets them. */
  box?: { width?: number | undefined; height?: number | undefined };
}

/**
 * Whether a `transform` (or the `translate`, `rotate` and `scale` properties, written as functions before it)
 * takes its box out of sight: squashed under a fifth in some direction (`scale(0.1)`, `skew(45deg, 45deg)`,
 * turned edge-on), moved a thousand pixels or more, or showing its back with `backfaceHidden`. The functions
 * are multiplied into one 4×4 matrix, as browsers do. Undefined when it is not worked out: a function or an
 * amount not understood (`scale(calc(calc(0.1)))`), depth (`translateZ(20px)`, `perspective()` over a 3D turn,
 * a `matrix3d` that is not a plain 2D one), or a 3D turn inside an ancestor's perspective (`inDepth`).
 *
 * @example
 * ```ts
 * transformHides('translate(-50%, -50%) rotate(45deg)', { fontPx: 16, percentOf: 0 }); // false
 * transformHides('skew(45deg, 45deg)', { fontPx: 16, percentOf: 0 }); // true
 * transformHides('perspective(10px) translateZ(20px)', { fontPx: 16, percentOf: 0 }); // undefined
 * ```
 */
export function transformHides(written: string, ctx: TransformContext): boolean | undefined {
  const read = composite(written.toLowerCase(), ctx);
  if (!read) return undefined;
  const { projected } = read;
  const m = ctx.origin === undefined ? read.m : aboutOrigin(read.m, ctx.origin, ctx);
  if (!m) return undefined;
  const [m11, m12, m13, m14, m21, m22, m23, m24, m31, m32, m33, m34, m41, m42, m43, m44] = m;
  // Depth: a box moved toward or away from the viewer, or a matrix with a projection of its own.
  if (m34 !== 0 || m41 !== 0 || m42 !== 0 || m43 !== 0 || m44 !== 1) return undefined;
  const turned3d = m13 !== 0 || m23 !== 0 || m31 !== 0 || m32 !== 0;
  if (turned3d && (projected || ctx.inDepth)) return undefined;
  const flat = m11 * m22 - m12 * m21;
  if (ctx.backfaceHidden) {
    const solid =
      m11 * (m22 * m33 - m23 * m32) - m12 * (m21 * m33 - m23 * m31) + m13 * (m21 * m32 - m22 * m31);
    // Its back shows when the inverse's z-z entry is negative: flat / solid < 0.
    if (Math.abs(solid) < 1e-9 || flat / solid < 0) return true;
  }
  const thinnest = singular(m11, m12, m21, m22, -1);
  if (!Number.isFinite(thinnest) || thinnest < 0.2) return true;
  return Math.abs(m14) >= 1000 || Math.abs(m24) >= 1000;
}

/**
 * Whether a transform (as {@link transformList} writes it) moves its box sideways, where it may be drawn on the other
 * side of a neighbour (attacker round 99): a translation of a pixel or more (`translateX(90px)`, also about its
 * `transform-origin`), or of more than half its own width (`translateX(-100%)`: two boxes trade places only if one
 * moves past half its width); true when the transform is not worked out. A turn or a scale about the box's centre, a
 * GPU hack (`translateZ(0)`) and a centring `translate(-50%, -50%)` do not move it.
 *
 * @example
 * ```ts
 * transformMoves('translateX(-90px)', { fontPx: 16, percentOf: 0 }); // true
 * transformMoves('translate(-50%, -50%) rotate(3deg)', { fontPx: 16, percentOf: 0 }); // false
 * ```
 */
export function transformMoves(written: string, ctx: TransformContext): boolean {
  const lower = written.toLowerCase();
  for (const call of lower.matchAll(/translate(?:x|3d)?\(([^)]*)\)/g)) {
    const x = (call[1] ?? '').split(',')[0]?.trim() ?? '';
    if (x.endsWith('%') && !(Math.abs(Number.parseFloat(x)) <= 50)) return true;
  }
  const shares = { ...ctx, percentOf: 0 };
  const read = composite(lower, shares);
  if (!read) return true;
  // About its origin: the box's own width and height not known, the origin's lengths alone (a turn about a point
  // 200px away moves it; one about its centre or a corner moves it at most by its size, read above).
  const m =
    (ctx.origin === undefined
      ? undefined
      : aboutOrigin(read.m, ctx.origin, { ...shares, box: { width: 0, height: 0 } })) ?? read.m;
  return !(Math.abs(m[3] ?? Number.NaN) < 1);
}

/**
 * How much a transform shrinks its box in its thinnest direction (the drawn 2×2's smallest singular value:
 * 0.3 for `scale(0.3)`, 1 for a turn); undefined when the transform is not understood. Nested factors multiply.
 *
 * @example
 * ```ts
 * transformScale('scale(0.3) rotate(45deg)', { fontPx: 16, percentOf: 0 }); // 0.3
 * ```
 */
export function transformScale(written: string, ctx: LengthContext): number | undefined {
  const read = composite(written.toLowerCase(), ctx);
  if (!read) return undefined;
  const [m11, m12, , , m21, m22] = read.m;
  const thinnest = singular(m11, m12, m21, m22, -1);
  return Number.isFinite(thinnest) ? thinnest : undefined;
}

// The smallest (`sign` -1) or largest (+1) singular value of the 2×2 [[a, b], [c, d]].
function singular(a: number, b: number, c: number, d: number, sign: 1 | -1): number {
  const squares = a * a + b * b + c * c + d * d;
  const det = a * d - b * c;
  return Math.sqrt(Math.max(0, (squares + sign * Math.sqrt(Math.max(0, squares ** 2 - 4 * det ** 2))) / 2));
}

// The matrix applied about `transform-origin` (T(o)·M·T(−o)), the origin measured from the box's centre, as the
// matrices here are. An origin off the centre by a share of a box whose size is not known moves the box by
// that unknown size: when the move is half of it or more (a flip or half-turn about an edge), undefined, as an
// origin not understood is; a smaller one (a slight turn or scale about a corner) is read as about a point.
function aboutOrigin(m: Matrix, written: string, ctx: TransformContext): Matrix | undefined {
  const origin = originOffsets(written, ctx);
  if (!origin) return undefined;
  const [x, y, z] = origin;
  const width = ctx.box?.width;
  const height = ctx.box?.height;
  // Shares of an unknown width and height, and the move (I − M)·share they make.
  const ux = width === undefined ? x.share : 0;
  const uy = height === undefined ? y.share : 0;
  const [m11, m12, , , m21, m22] = m;
  if (Math.hypot((1 - m11) * ux - m12 * uy, -m21 * ux + (1 - m22) * uy) >= 0.5) return undefined;
  const ox = x.px + x.share * (width ?? 0);
  const oy = y.px + y.share * (height ?? 0);
  return multiply(multiply([1, 0, 0, ox, 0, 1, 0, oy, 0, 0, 1, z, 0, 0, 0, 1], m), [
    1,
    0,
    0,
    -ox,
    0,
    1,
    0,
    -oy,
    0,
    0,
    1,
    -z,
    0,
    0,
    0,
    1,
  ]);
}

type Offset = { px: number; share: number };
const ORIGIN_WORDS: Record<string, { share: number; axis?: 'x' | 'y' }> = {
  left: { share: -0.5, axis: 'x' },
  right: { share: 0.5, axis: 'x' },
  top: { share: -0.5, axis: 'y' },
  bottom: { share: 0.5, axis: 'y' },
  center: { share: 0 },
};

// `transform-origin` (`left top`, `30% 2em`, `-3000px 0 10px`) as x and y offsets from the box's centre (pixels
// plus a share of its size) and a depth; undefined when a part is not understood.
function originOffsets(written: string, ctx: LengthContext): [Offset, Offset, number] | undefined {
  const parts = splitTop(written.trim().toLowerCase(), ' ').filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return undefined;
  const centre: Offset = { px: 0, share: 0 };
  let x: Offset | undefined;
  let y: Offset | undefined;
  const placed = parts.slice(0, 2).map((part) => {
    const word = ORIGIN_WORDS[part];
    if (word) return { offset: { px: 0, share: word.share }, axis: word.axis };
    if (part.endsWith('%') && /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)%$/.test(part))
      return { offset: { px: 0, share: Number(part.slice(0, -1)) / 100 - 0.5 } };
    const px = part.includes('%') ? undefined : lengthPx(part, ctx);
    return px === undefined ? undefined : { offset: { px, share: -0.5 } };
  });
  if (placed.some((p) => p === undefined)) return undefined;
  const [first, second] = placed as { offset: Offset; axis?: 'x' | 'y' }[];
  // Keywords may come in either order (`top left`); lengths and percentages are x then y.
  if (first?.axis === 'y' || second?.axis === 'x') {
    if (first?.axis === 'x' || second?.axis === 'y') return undefined;
    y = first?.offset;
    x = second?.offset;
  } else {
    x = first?.offset;
    y = second?.offset;
  }
  const z = parts[2] === undefined ? 0 : parts[2].includes('%') ? undefined : lengthPx(parts[2], ctx);
  if (z === undefined) return undefined;
  return [x ?? centre, y ?? centre, z];
}

/**
 * The `translate`, `rotate` and `scale` properties and `transform` of a style as one transform list, in the order
 * they apply; undefined when none is set.
 *
 * @example
 * ```ts
 * transformList((p) => ({ scale: '0.5', transform: 'rotate(3deg)' })[p]); // 'scale3d(0.5) rotate(3deg)'
 * ```
 */
export function transformList(get: (property: string) => string | undefined): string | undefined {
  const set = (property: string) => {
    const value = get(property);
    return value === undefined || value === 'none' ? undefined : value;
  };
  const parts: string[] = [];
  // Amounts apart at the spaces outside parentheses (`calc(1px + 2px) 0`).
  const amounts = (value: string) => splitTop(value, ' ').filter(Boolean);
  const translate = set('translate');
  if (translate !== undefined) parts.push(`translate3d(${amounts(translate).join(',')})`);
  const rotate = set('rotate');
  if (rotate !== undefined) {
    // `45deg`, `y 180deg` (or `180deg y`), `1 1 0 90deg`.
    const words = amounts(rotate);
    const axis = words.find((w) => /^[xyz]$/.test(w));
    if (axis) parts.push(`rotate${axis}(${words.filter((w) => w !== axis).join(',')})`);
    else if (words.length === 1) parts.push(`rotate(${rotate})`);
    else parts.push(`rotate3d(${words.join(',')})`);
  }
  const scale = set('scale');
  if (scale !== undefined) parts.push(`scale3d(${amounts(scale).join(',')})`);
  const transform = set('transform');
  if (transform !== undefined) parts.push(transform);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * True when a transform places its box in depth (turned about the x or y axis, moved or scaled along z, under
 * `perspective()`), so that its content's own turns and depth are projected; false for a flat (2D) one, and for
 * one not understood (which {@link transformHides} reports).
 *
 * @example
 * ```ts
 * transformInDepth('rotateY(30deg)', { fontPx: 16, percentOf: 0 }); // true
 * transformInDepth('translate3d(0, 0, 0)', { fontPx: 16, percentOf: 0 }); // false
 * ```
 */
export function transformInDepth(written: string, ctx: LengthContext): boolean {
  const read = composite(written.toLowerCase(), ctx);
  if (!read) return false;
  // `rotateY(180deg)` turns only the signs: its depth axis is flipped.
  const [, , m13, , , , m23, , m31, m32, m33, m34] = read.m;
  return read.projected || m13 !== 0 || m23 !== 0 || m31 !== 0 || m32 !== 0 || m33 !== 1 || m34 !== 0;
}

// A transform list multiplied into one matrix, and whether a `perspective()` is among it; undefined when a
// function or an amount is not understood.
function composite(value: string, ctx: LengthContext): { m: Matrix; projected: boolean } | undefined {
  if (value === 'none') return { m: IDENTITY, projected: false };
  let m = IDENTITY;
  let projected = false;
  // Functions found with parentheses balanced at any depth, one left open running to the end as a browser
  // closes it (`scale(0.05` ending a style attribute).
  for (const call of cssCalls(value)) {
    const args = splitTop(call.args, ',')
      .flatMap((a) => splitTop(a.trim(), ' '))
      .filter(Boolean);
    if (call.name === 'perspective') {
      if (args[0] !== 'none') projected = true;
      continue;
    }
    const step = transformMatrix(call.name, args, ctx);
    if (step === undefined) return undefined;
    m = multiply(m, step);
  }
  return { m, projected };
}

type Matrix = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
const IDENTITY: Matrix = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

// Row-major 4×4 product a·b (the function on the right applies first, as a transform list's later ones do).
function multiply(a: Matrix, b: Matrix): Matrix {
  const out: number[] = [];
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += (a[r * 4 + k] as number) * (b[k * 4 + c] as number);
      out.push(sum);
    }
  return out as unknown as Matrix;
}

// The matrix of one transform function (row-major); undefined when it or an amount is not understood. A
// percentage moves by the box's size, not known here: a hundred percent or more is read as far.
function transformMatrix(name: string, args: string[], ctx: LengthContext): Matrix | undefined {
  const length = (a: string | undefined) =>
    a === undefined
      ? 0
      : a.endsWith('%')
        ? Math.abs(Number(a.slice(0, -1))) >= 100
          ? 1e4
          : Number.isFinite(Number(a.slice(0, -1)))
            ? 0
            : undefined
        : lengthPx(a, ctx);
  const factor = (a: string | undefined, otherwise: number) => (a === undefined ? otherwise : fraction(a));
  const angle = (a: string | undefined) => (a === undefined ? 0 : degrees(a));
  const move = (x?: number, y?: number, z?: number) =>
    x === undefined || y === undefined || z === undefined
      ? undefined
      : ([1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z, 0, 0, 0, 1] as const);
  const stretch = (x?: number, y?: number, z?: number) =>
    x === undefined || y === undefined || z === undefined
      ? undefined
      : ([x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1] as const);
  switch (name) {
    // `translate()` with three amounts comes from the `translate` property.
    case 'translate':
    case 'translate3d':
      return args.length > 3 ? undefined : move(length(args[0]), length(args[1]), zLength(args[2], ctx));
    case 'translatex':
      return move(length(args[0]), 0, 0);
    case 'translatey':
      return move(0, length(args[0]), 0);
    case 'translatez':
      return move(0, 0, zLength(args[0], ctx));
    case 'scale':
    case 'scale3d': {
      const x = factor(args[0], 1);
      return stretch(x, factor(args[1], x ?? 1), factor(args[2], 1));
    }
    case 'scalex':
      return stretch(factor(args[0], 1), 1, 1);
    case 'scaley':
      return stretch(1, factor(args[0], 1), 1);
    case 'scalez':
      return stretch(1, 1, factor(args[0], 1));
    case 'rotate':
    case 'rotatez':
      return turn(0, 0, 1, angle(args[0]));
    case 'rotatex':
      return turn(1, 0, 0, angle(args[0]));
    case 'rotatey':
      return turn(0, 1, 0, angle(args[0]));
    case 'rotate3d': {
      const [x, y, z] = args.slice(0, 3).map(Number);
      return args.length === 4 ? turn(x as number, y as number, z as number, angle(args[3])) : undefined;
    }
    case 'skew':
    case 'skewx':
    case 'skewy': {
      const ax = name === 'skewy' ? 0 : angle(args[0]);
      const ay = name === 'skew' ? angle(args[1]) : name === 'skewy' ? angle(args[0]) : 0;
      if (ax === undefined || ay === undefined) return undefined;
      const tan = (d: number) => Math.tan((d * Math.PI) / 180);
      return [1, tan(ax), 0, 0, tan(ay), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] as const;
    }
    case 'matrix': {
      const n = args.map(Number);
      if (n.length !== 6 || n.some((x) => !Number.isFinite(x))) return undefined;
      const [a, b, c, d, e, f] = n as [number, number, number, number, number, number];
      return [a, c, 0, e, b, d, 0, f, 0, 0, 1, 0, 0, 0, 0, 1] as const;
    }
    case 'matrix3d': {
      // Column-major; only a plain 2D one (and a depth scale) is worked out.
      const v = args.map(Number);
      if (v.length !== 16 || v.some((x) => !Number.isFinite(x))) return undefined;
      if ([2, 3, 6, 7, 8, 9, 11, 14].some((i) => v[i] !== 0) || v[15] !== 1) return undefined;
      const at = (i: number) => v[i] as number;
      return [at(0), at(4), 0, at(12), at(1), at(5), 0, at(13), 0, 0, at(10), 0, 0, 0, 0, 1] as const;
    }
    default:
      return undefined;
  }
}

// A depth (`translateZ`): a length, never a percentage.
function zLength(value: string | undefined, ctx: LengthContext): number | undefined {
  return value === undefined ? 0 : value.endsWith('%') ? undefined : lengthPx(value, ctx);
}

// The rotation by `deg` about the axis (x, y, z), as CSS writes `rotate3d()`; no turn about a zero axis.
function turn(x: number, y: number, z: number, deg: number | undefined): Matrix | undefined {
  if (deg === undefined || ![x, y, z].every(Number.isFinite)) return undefined;
  const norm = Math.hypot(x, y, z);
  if (norm === 0) return IDENTITY;
  const [u, v, w] = [x / norm, y / norm, z / norm];
  const half = (deg * Math.PI) / 360;
  const s = Math.sin(half);
  const sc = s * Math.cos(half);
  const sq = s * s;
  const clean = (n: number) => (Math.abs(n) < 1e-12 ? 0 : n);
  return [
    1 - 2 * (v * v + w * w) * sq,
    2 * (u * v * sq - w * sc),
    2 * (u * w * sq + v * sc),
    0,
    2 * (u * v * sq + w * sc),
    1 - 2 * (u * u + w * w) * sq,
    2 * (v * w * sq - u * sc),
    0,
    2 * (u * w * sq - v * sc),
    2 * (v * w * sq + u * sc),
    1 - 2 * (u * u + v * v) * sq,
    0,
    0,
    0,
    0,
    1,
  ].map(clean) as unknown as Matrix;
}

function degrees(value: string): number | undefined {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(deg|rad|turn|grad)?$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'rad' ? (n * 180) / Math.PI : m[2] === 'turn' ? n * 360 : m[2] === 'grad' ? n * 0.9 : n;
}
