import { inflated, Unread, type Walk } from './tag-walk.js';

// An MP3's ID3v2 tag (v2.2 to v2.4): every frame but those that hold only binary data (pictures, objects, private
// data, counters, timing and volume tables), chapters' and tables of contents' own frames too, with extended
// headers skipped, unsynchronisation undone and compressed frames inflated; encrypted frames and frames that do
// not walk make the file unread.

// ID3v2's frames as players show them: text (T…), comments, lyrics (synchronised too), links, involved people,
// iTunes' grouping and movement (GRP1, MVNM), frames of unknown kinds (read, not to guess what a player shows),
// and the frames inside a chapter (CHAP) or table of contents (CTOC). Returns where the tag ends (its footer
// included).
export function id3v2Tags(bytes: Buffer, w: Walk): number {
  if (bytes.length < 10) return bytes.length + 1;
  const version = bytes[3] as number;
  const flags = bytes[5] as number;
  const size = syncsafe(bytes, 6);
  const end = 10 + size + (version === 4 && flags & 0x10 ? 10 : 0);
  // Versions other than 2.2 to 2.4 are not read by players either.
  if (version < 2 || version > 4) return end;
  if (version === 2 && flags & 0x40) throw new Unread('a compressed ID3v2.2 tag, which is not read');
  // Before 2.4, unsynchronisation (0xFF 0x00 for 0xFF) is of the whole tag, extended header and frames' sizes too.
  let body = bytes.subarray(10, 10 + size);
  if (version < 4 && flags & 0x80) body = resynchronised(body);
  let start = 0;
  if (version > 2 && flags & 0x40)
    start = version === 3 ? 4 + (body.length >= 4 ? body.readUInt32BE(0) : 0) : syncsafe(body, 0);
  // iTunes wrote v2.4 frame sizes as plain integers, which TagLib and mutagen try when syncsafe ones do not walk
  // (or lead elsewhere): the frames of both walks are read, and the tag is unread when neither walks.
  const frames = id3Frames(body, start, version, version === 4);
  const plain =
    version === 4 && (!frames || frames.some((f) => f.large)) ? id3Frames(body, start, 4, false) : undefined;
  if (!frames && !plain) throw new Unread('an ID3v2 tag whose frames are not understood, which is not read');
  readFrames([...(frames ?? []), ...(plain ?? [])], version, (flags & 0x80) !== 0, w, 0);
  return end;
}

// Frames that hold only binary data, which no player shows as text: pictures, objects, private data, counters,
// ratings, timing, volume, equalisation and reverb tables, buffers, encryption and group registrations,
// signatures, seek tables, file ids and music CD ids (ID3v2.2's three-letter ids too).
const BINARY_FRAMES = new Set(
  (
    'APIC PIC GEOB GEO PRIV PCNT CNT POPM POP ETCO ETC MLLT MLL SYTC STC RVA2 RVAD RVA EQU2 EQUA EQU RVRB REV ' +
    'RBUF BUF AENC CRA ENCR GRID SIGN SEEK ASPI UFID UFI MCDI MCI CRM'
  ).split(' '),
);
// Chapters and tables of contents nest frames; a tag nests them this deep at most.
const MAX_CHAPTER_DEPTH = 4;

function readFrames(
  frames: Id3Frame[],
  version: number,
  unsynchronised: boolean,
  w: Walk,
  depth: number,
): void {
  const read = new Set<string>();
  for (const frame of frames) {
    const at = `${frame.at}:${frame.data.length}`;
    if (read.has(at) || BINARY_FRAMES.has(frame.id)) continue;
    read.add(at);
    const data = frameText(frame, version, unsynchronised);
    if (frame.id === 'CHAP' || frame.id === 'CTOC') {
      readChapter(frame.id, data, version, w, depth);
      continue;
    }
    w.keep(data);
    // UTF-16 text (encoding 1 or 2; after a comment's language, at an even offset) is read as UTF-16LE: also
    // kept byte-swapped from both offsets, so big-endian text reads as written.
    if (data[0] === 1 || data[0] === 2)
      for (const from of [1, 2])
        w.keep(Buffer.from(data.subarray(from, from + ((data.length - from) & ~1))).swap16());
  }
}

// A CHAP (element id, start and end times and offsets) or CTOC (element id, flags, child ids) frame: its element
// id and its own frames (a chapter's title, its link), read as the tag's are; frames that do not walk are unread.
function readChapter(id: string, data: Buffer, version: number, w: Walk, depth: number): void {
  if (depth >= MAX_CHAPTER_DEPTH)
    throw new Unread(`ID3v2 chapters nested more than ${MAX_CHAPTER_DEPTH} deep`);
  const idEnd = data.indexOf(0);
  if (idEnd < 0) return void w.keep(data);
  w.keep(data.subarray(0, idEnd));
  let start = idEnd + 1;
  if (id === 'CHAP') start += 16;
  else {
    const count = data[start + 1] ?? 0;
    start += 2;
    for (let k = 0; k < count && start < data.length; k++) {
      const child = data.indexOf(0, start);
      start = child < 0 ? data.length : child + 1;
    }
  }
  if (start >= data.length) return;
  // Both readings of v2.4 sizes, as at the tag's top level (attacker round 40: an iTunes plain size in a chapter).
  const frames = id3Frames(data, start, version, version === 4);
  const plain =
    version === 4 && (!frames || frames.some((f) => f.large)) ? id3Frames(data, start, 4, false) : undefined;
  if (!frames && !plain)
    throw new Unread(`an ID3v2 ${id} frame whose frames are not understood, which is not read`);
  readFrames([...(frames ?? []), ...(plain ?? [])], version, false, w, depth + 1);
}

interface Id3Frame {
  id: string;
  at: number;
  flags: number;
  data: Buffer;
  /** Its size is 128 or more: syncsafe and plain readings of it differ. */
  large: boolean;
}

// The frames from `start` to zero padding, the end, or MPEG audio (a tag size past its frames); undefined when
// something else stops the walk.
function id3Frames(
  body: Buffer,
  start: number,
  version: number,
  syncsafeSizes: boolean,
): Id3Frame[] | undefined {
  const idLength = version === 2 ? 3 : 4;
  const headerLength = version === 2 ? 6 : 10;
  const frames: Id3Frame[] = [];
  let i = start;
  while (i + headerLength <= body.length) {
    if (body[i] === 0 || body[i] === 0xff) break;
    const id = body.toString('latin1', i, i + idLength);
    if (!/^[A-Z0-9]+$/.test(id)) return undefined;
    const length =
      version === 2
        ? body.readUIntBE(i + 3, 3)
        : syncsafeSizes && (body.readUInt32BE(i + 4) & 0x80808080) === 0
          ? syncsafe(body, i + 4)
          : body.readUInt32BE(i + 4);
    const flags = version === 2 ? 0 : body.readUInt16BE(i + 8);
    const data = body.subarray(i + headerLength, i + headerLength + length);
    frames.push({ id, at: i, flags, data, large: length >= 128 });
    i += headerLength + length;
  }
  return frames;
}

// A frame's data as a player reads it: the bytes its flags add after the header skipped (v2.3: decompressed size,
// encryption method, group; v2.4: group, encryption method, data length), unsynchronisation undone, inflated.
function frameText(frame: Id3Frame, version: number, tagUnsynchronised: boolean): Buffer {
  const { flags } = frame;
  const encrypted = version === 3 ? flags & 0x0040 : version === 4 ? flags & 0x0004 : 0;
  if (encrypted) throw new Unread(`an encrypted ID3v2 ${frame.id} frame, which is not read`);
  let data = frame.data;
  if (version === 3) {
    data = data.subarray((flags & 0x0080 ? 4 : 0) + (flags & 0x0020 ? 1 : 0));
    return flags & 0x0080 ? inflated(data) : data;
  }
  if (version === 4) {
    data = data.subarray((flags & 0x0040 ? 1 : 0) + (flags & 0x0009 ? 4 : 0));
    if (tagUnsynchronised || flags & 0x0002) data = resynchronised(data);
    return flags & 0x0008 ? inflated(data) : data;
  }
  return data;
}

// Undoes ID3's unsynchronisation: each 0xFF 0x00 was 0xFF.
function resynchronised(data: Buffer): Buffer {
  if (data.indexOf(UNSYNCHRONISED) < 0) return data;
  const out = Buffer.alloc(data.length);
  let n = 0;
  for (let k = 0; k < data.length; k++) {
    out[n++] = data[k] as number;
    if (data[k] === 0xff && data[k + 1] === 0) k++;
  }
  return out.subarray(0, n);
}
const UNSYNCHRONISED = Buffer.from([0xff, 0x00]);

function syncsafe(bytes: Buffer, at: number): number {
  return (
    (((bytes[at] ?? 0) & 0x7f) << 21) |
    (((bytes[at + 1] ?? 0) & 0x7f) << 14) |
    (((bytes[at + 2] ?? 0) & 0x7f) << 7) |
    ((bytes[at + 3] ?? 0) & 0x7f)
  );
}
