// An LZMA (version 1) decoder, written from the format's public specification (Igor Pavlov's LzmaSpec), for
// one job: 7-Zip compresses an archive's header with LZMA by default, and the file names are inside. The
// output size is known (the header's unpacked size) and bounded by the caller; each step writes at least one
// byte, so the work is linear in it. Anything inconsistent throws.

const PROB_INIT = 1024;
const STATES = 12;
const POS_BITS_MAX = 4;
const END_POS_MODEL = 14;
const FULL_DISTANCES = 128;
const ALIGN_BITS = 4;
const MATCH_MIN = 2;

class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  private p: number;

  constructor(private readonly input: Buffer) {
    if (input[0] !== 0) throw new Error('a bad LZMA stream');
    this.p = 1;
    for (let i = 0; i < 4; i++) this.code = this.code * 256 + this.next();
    if (this.code === this.range) throw new Error('a bad LZMA stream');
  }

  private next(): number {
    if (this.p >= this.input.length) throw new Error('a truncated LZMA stream');
    return this.input[this.p++] as number;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      this.range *= 256;
      this.code = this.code * 256 + this.next();
    }
  }

  bit(probs: Uint16Array, i: number): number {
    const v = probs[i] as number;
    const bound = (this.range >>> 11) * v;
    let bit: number;
    if (this.code < bound) {
      probs[i] = v + ((2048 - v) >>> 5);
      this.range = bound;
      bit = 0;
    } else {
      probs[i] = v - (v >>> 5);
      this.code -= bound;
      this.range -= bound;
      bit = 1;
    }
    this.normalize();
    return bit;
  }

  direct(bits: number): number {
    let result = 0;
    for (let i = 0; i < bits; i++) {
      this.range = this.range >>> 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      result = result * 2 + bit;
      this.normalize();
    }
    return result;
  }

  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = m * 2 + this.bit(probs, base + m);
    return m - (1 << bits);
  }

  reverse(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < bits; i++) {
      const bit = this.bit(probs, base + m);
      m = m * 2 + bit;
      symbol |= bit << i;
    }
    return symbol;
  }
}

// Lengths: a choice, then 8 short, 8 middle (per position state) or 256 long ones.
class LengthDecoder {
  private readonly probs = new Uint16Array(2 + 2 * (16 << 3) + 256).fill(PROB_INIT);

  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.probs, 0) === 0) return rc.tree(this.probs, 2 + (posState << 3) - 1, 3);
    if (rc.bit(this.probs, 1) === 0) return 8 + rc.tree(this.probs, 2 + 128 + (posState << 3) - 1, 3);
    return 16 + rc.tree(this.probs, 2 + 256 - 1, 8);
  }
}

/**
 * Decodes an LZMA stream (its 5 property bytes given apart, as 7z stores them) to exactly `size` bytes.
 *
 * @example
 * ```ts
 * lzmaDecode(packed, Buffer.from([0x5d, 0, 0, 1, 0]), 4096);
 * ```
 */
export function lzmaDecode(input: Buffer, props: Buffer, size: number): Buffer {
  const d = props[0] ?? 255;
  if (props.length < 5 || d >= 9 * 5 * 5) throw new Error('bad LZMA properties');
  const lc = d % 9;
  const lp = Math.floor(d / 9) % 5;
  const pb = Math.floor(d / 45);
  const dictionary = Math.max(props.readUInt32LE(1), 4096);
  const rc = new RangeDecoder(input);
  const literals = new Uint16Array(0x300 << (lc + lp)).fill(PROB_INIT);
  const isMatch = new Uint16Array(STATES << POS_BITS_MAX).fill(PROB_INIT);
  const isRep = new Uint16Array(STATES * 4).fill(PROB_INIT);
  const isRep0Long = new Uint16Array(STATES << POS_BITS_MAX).fill(PROB_INIT);
  const posSlots = new Uint16Array(4 << 6).fill(PROB_INIT);
  const posDecoders = new Uint16Array(1 + FULL_DISTANCES - END_POS_MODEL).fill(PROB_INIT);
  const align = new Uint16Array(1 << ALIGN_BITS).fill(PROB_INIT);
  const lengths = new LengthDecoder();
  const repLengths = new LengthDecoder();
  const out = Buffer.alloc(size);
  let pos = 0;
  let state = 0;
  let [rep0, rep1, rep2, rep3] = [0, 0, 0, 0];
  while (pos < size) {
    const posState = pos & ((1 << pb) - 1);
    if (rc.bit(isMatch, (state << POS_BITS_MAX) + posState) === 0) {
      const prev = pos > 0 ? (out[pos - 1] as number) : 0;
      const base = 0x300 * (((pos & ((1 << lp) - 1)) << lc) + (prev >> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        let match = out[pos - rep0 - 1] as number;
        do {
          const matchBit = (match >> 7) & 1;
          match <<= 1;
          const bit = rc.bit(literals, base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | bit;
          if (matchBit !== bit) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | rc.bit(literals, base + symbol);
      out[pos++] = symbol - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let length: number;
    if (rc.bit(isRep, state) === 1) {
      if (pos === 0) throw new Error('a bad LZMA stream');
      if (rc.bit(isRep, STATES + state) === 0) {
        if (rc.bit(isRep0Long, (state << POS_BITS_MAX) + posState) === 0) {
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1] as number;
          pos++;
          continue;
        }
      } else {
        let distance: number;
        if (rc.bit(isRep, 2 * STATES + state) === 0) distance = rep1;
        else {
          if (rc.bit(isRep, 3 * STATES + state) === 0) distance = rep2;
          else {
            distance = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = distance;
      }
      length = repLengths.decode(rc, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      length = lengths.decode(rc, posState);
      state = state < 7 ? 7 : 10;
      rep0 = distance(rc, length, posSlots, posDecoders, align);
      if (rep0 === 0xffffffff) throw new Error('an LZMA stream shorter than its size');
    }
    if (rep0 >= pos || rep0 >= dictionary) throw new Error('a bad LZMA distance');
    for (let n = Math.min(length + MATCH_MIN, size - pos); n > 0; n--, pos++)
      out[pos] = out[pos - rep0 - 1] as number;
  }
  return out;
}

function distance(
  rc: RangeDecoder,
  length: number,
  posSlots: Uint16Array,
  posDecoders: Uint16Array,
  align: Uint16Array,
): number {
  const slot = rc.tree(posSlots, (Math.min(length, 3) << 6) - 1, 6);
  if (slot < 4) return slot;
  const direct = (slot >> 1) - 1;
  let dist = (2 | (slot & 1)) * 2 ** direct;
  if (slot < END_POS_MODEL) return dist + rc.reverse(posDecoders, dist - slot - 1, direct);
  dist += rc.direct(direct - ALIGN_BITS) * 2 ** ALIGN_BITS;
  return dist + rc.reverse(align, -1, ALIGN_BITS);
}
