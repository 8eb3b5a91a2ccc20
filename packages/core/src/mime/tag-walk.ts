import { inflateSync } from 'node:zlib';

// What the tag readers of media-tags.ts and id3-tags.ts share: the budget, how they hand over what they find,
// and the one way they say a file's tags cannot be read.

/** Most bytes of tags read from one picture or recording; past it, the file is unread. */
export const MAX_TAG_BYTES = 1024 * 1024;

/** The GUID an ASF file (WMA, WMV) starts with: its header object's. */
export const ASF_HEADER = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

/** Thrown by a tag reader: the file's tags cannot be read (its message says why); the file is unread. */
export class Unread extends Error {}

/** Where a tag reader puts what it finds. */
export interface Walk {
  /** A piece of a tag as its bytes (read as 8-bit, UTF-16 and UTF-8 text), ended by a line break. */
  keep: (piece: Buffer) => void;
  /** A field already decoded (its format gives its encoding), read as it is. */
  text: (value: string) => void;
  /** An XMP packet: kept, and read as markup too. */
  xmp: (packet: Buffer) => void;
}

// A compressed text's text; one that does not inflate is kept as it is (no viewer shows it either).
export function inflated(data: Buffer): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: MAX_TAG_BYTES });
  } catch (error) {
    if (error instanceof RangeError)
      throw new Unread(`text tags over ${MAX_TAG_BYTES} bytes, which are not read`);
    return data;
  }
}

/**
 * Whether a chunk walk that stopped at `i` read every chunk: players walk to the end of the file whatever the
 * header's size says (attacker round 40: a RIFF size of 4 before the samples and a title), so the walk is complete
 * only when it ended at the end of the bytes (a last pad byte may be missing) and at or past the declared end.
 */
export function walkedToEnd(i: number, declaredEnd: number, length: number): boolean {
  return i >= length && i <= length + 1 && declaredEnd <= length;
}
