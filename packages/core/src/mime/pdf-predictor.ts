// PNG predictors (/Predictor 10–15), which PDF applies before FlateDecode or LZW: each row is a filter type byte
// and its filtered bytes. Shared by the cross-reference reader and the content reader.

/** The shape of the rows a PNG predictor worked on (/Columns, /Colors, /BitsPerComponent). */
export interface PngRows {
  columns: number;
  colors: number;
  bits: number;
}

/**
 * The bytes before a PNG predictor (types None, Sub, Up, Average, Paeth, any row); throws on a row of another
 * filter type. Linear in the data.
 *
 * @example
 * ```ts
 * unpng(Buffer.from([2, 1, 2, 2, 1, 1]), { columns: 2, colors: 1, bits: 8 }); // <01 02 02 03>
 * ```
 */
export function unpng(data: Buffer, { columns, colors, bits }: PngRows): Buffer {
  const bpp = Math.ceil((colors * bits) / 8);
  const rowBytes = Math.ceil((columns * colors * bits) / 8);
  const rows = Math.ceil(data.length / (rowBytes + 1));
  const out = Buffer.alloc(Math.min(rows * rowBytes, data.length));
  let o = 0;
  for (let r = 0; r < data.length; r += rowBytes + 1) {
    const type = data[r] as number;
    const n = Math.min(rowBytes, data.length - r - 1);
    for (let i = 0; i < n; i++, o++) {
      const raw = data[r + 1 + i] as number;
      const left = i >= bpp ? (out[o - bpp] as number) : 0;
      const up = o >= rowBytes ? (out[o - rowBytes] as number) : 0;
      const upLeft = o >= rowBytes && i >= bpp ? (out[o - rowBytes - bpp] as number) : 0;
      let v: number;
      if (type === 0) v = raw;
      else if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new Error(`a PNG row of filter type ${type}`);
      out[o] = v & 0xff;
    }
  }
  return out.subarray(0, o);
}
