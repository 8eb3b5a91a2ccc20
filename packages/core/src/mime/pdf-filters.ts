import { isPdfSpace as isSpace } from './pdf-bytes.js';
import type { Dict, Value } from './pdf-lexer.js';
import { unpng } from './pdf-predictor.js';
import { PdfProblem } from './pdf-problem.js';

// The stream filters the PDF text reader (pdf-text.ts) decodes besides Flate, each within the decoded-bytes
// budget it is given, and the predictors undone after them.

export function ascii85(data: Buffer, max: number): Buffer {
  // At most 4 bytes out for each byte in (`z`), and never more than the budget: written into one buffer.
  const out = Buffer.alloc(Math.min(max + 4, data.length * 4));
  let size = 0;
  let value = 0;
  let digits = 0;
  const put = (n: number) => {
    if (size + n > max) throw new PdfProblem(`ASCII85 data decodes past ${max} bytes`);
    for (let k = 0; k < n; k++) out[size++] = (value >>> (24 - 8 * k)) & 0xff;
  };
  let i = data[0] === 0x3c && data[1] === 0x7e ? 2 : 0;
  for (; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x7e) break; // ~> ends the data
    if (isSpace(c)) continue;
    if (c === 0x7a && digits === 0) {
      value = 0;
      put(4);
      continue;
    }
    const d = c - 33;
    if (d < 0 || d > 84) throw new PdfProblem('ASCII85 data is damaged');
    value = value * 85 + d;
    if (++digits === 5) {
      value >>>= 0;
      put(4);
      value = 0;
      digits = 0;
    }
  }
  if (digits > 0) {
    const n = digits;
    for (; digits < 5; digits++) value = value * 85 + 84;
    value >>>= 0;
    put(n - 1);
  }
  return out.subarray(0, size);
}

export function runLength(data: Buffer, max: number): Buffer {
  const out: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < data.length; ) {
    const n = data[i++] as number;
    if (n === 128) break;
    const piece = n < 128 ? data.subarray(i, i + n + 1) : Buffer.alloc(257 - n, data[i] ?? 0);
    i += n < 128 ? n + 1 : 1;
    size += piece.length;
    if (size > max) throw new PdfProblem('over the decoded bytes budget (run-length data)');
    out.push(piece);
  }
  return Buffer.concat(out);
}

export function lzw(data: Buffer, max: number): Buffer {
  const out: number[] = [];
  let table: number[][] = [];
  const reset = () => {
    table = Array.from({ length: 258 }, (_, i) => [i]);
  };
  reset();
  let width = 9;
  let bits = 0;
  let value = 0;
  let previous: number[] | undefined;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (value >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      value &= (1 << bits) - 1;
      if (code === 256) {
        reset();
        width = 9;
        previous = undefined;
        continue;
      }
      if (code === 257) return Buffer.from(out);
      const entry =
        table[code] ?? (previous && code === table.length ? [...previous, previous[0] as number] : undefined);
      if (!entry) throw new PdfProblem('LZW data is damaged');
      for (const b of entry) out.push(b);
      if (out.length > max) throw new PdfProblem('over the decoded bytes budget (LZW data)');
      if (previous && table.length < 4096) table.push([...previous, entry[0] as number]);
      previous = entry;
      if (table.length + 1 >= 1 << width && width < 12) width++;
    }
  }
  return Buffer.from(out);
}

// PNG predictors (and TIFF's 2) undone, as object and cross-reference streams are written.
export function unpredict(
  data: Buffer,
  params: Dict,
  doc: { real(v: Value | undefined): number | undefined },
): Buffer {
  const predictor = doc.real(params.get('Predictor'));
  const columns = Math.max(1, Math.floor(doc.real(params.get('Columns')) ?? 1));
  const colors = Math.max(1, Math.floor(doc.real(params.get('Colors')) ?? 1));
  const bits = doc.real(params.get('BitsPerComponent')) ?? 8;
  if (
    predictor === undefined ||
    predictor < 10 ||
    predictor > 15 ||
    colors > 32 ||
    ![1, 2, 4, 8, 16].includes(bits)
  )
    throw new PdfProblem(`predictor ${String(predictor)} is not read`);
  try {
    return unpng(data, { columns, colors, bits });
  } catch (error) {
    throw new PdfProblem(`a predicted stream has ${(error as Error).message}`);
  }
}
