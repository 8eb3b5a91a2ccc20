import { type CalendarScan, calendarChunk, calendarFound, scanCalendar } from './calendar-names.js';
import { carriedFiles } from './carried-archive.js';
import { sniffType } from './sniff.js';
import { IID_BYTES, nestedStart, type TnefFiles } from './tnef-content.js';

/** What an attachment's MAPI property list (TNEF `attAttachment`) says about the file. */
export interface TnefProperties {
  names: string[];
  /** Types sniffed from the contents the list holds (each `PidTagAttachDataBinary`) and from the files of an
   * attached message inside (read by `readNested`). */
  nestedTypes: string[];
  /** Why the list cannot be read whole, or holds what is not read (an attached message, an OLE object). */
  problem?: string;
  /** A content value is an archive, listed into `names` (see carried-archive.ts). */
  archived?: boolean;
  /** The names the list gives the file itself (not those of the files inside it). */
  fileNames?: string[];
  /** A page inside an archive the list holds, which counts unless the file opens in Office (`carriedPageProblem`). */
  page?: string;
  /**
   * The content values read as calendars, which count when the file is named one (see tnef.ts): each of them, as a
   * client may read any (attacker round 69: only the first was kept).
   */
  calendars?: CalendarScan[];
  /**
   * What calendars inside an archive or an attached message the list holds give besides names: the types of their
   * unnamed inline files and the names of files they link to (attacker round 69: these were dropped).
   */
  unnamedTypes?: string[];
  linkedNames?: string[];
}

// Properties that name the file (long and short file names, extension, display name, paths).
const NAME_IDS = new Set([0x3707, 0x3704, 0x3703, 0x3001, 0x370d, 0x3708]);
const ATTACH_METHOD = 0x3705;
const ATTACH_DATA = 0x3701;
// PidTagAttachMethod 6: an OLE object, whose content is not read.
const OLE_METHOD = 6;
// PidTagAttachMethod 2, 3, 4 (afByReference, afByRefResolve, afByRefOnly): the attachment is a path
// (PidTagAttachLongPathname, a UNC share) that Outlook opens in its place (attacker round 62).
const BY_REFERENCE = new Set([2, 3, 4]);

const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const MULTIPLE = 0x1000;
// Bytes of one value of each fixed-size type, as TNEF writes it (2-byte types padded to 4).
const FIXED_BYTES = new Map([
  [0x0001, 4], // PT_NULL
  [0x0002, 4], // PT_SHORT
  [0x0003, 4], // PT_LONG
  [0x0004, 4], // PT_FLOAT
  [0x0005, 8], // PT_DOUBLE
  [0x000a, 4], // PT_ERROR
  [0x000b, 4], // PT_BOOLEAN
  [0x0014, 8], // PT_I8
  [0x0040, 8], // PT_SYSTIME
  [0x0048, 16], // PT_CLSID
]);
const VARIABLE = new Set([PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT]);
// PT_CURRENCY and PT_APPTIME: 8 bytes to MS-OXCDATA, MimeKit and the tnef tool, 4 to ytnef, which then reads
// the rest of the list from elsewhere. Outlook writes neither on an attachment.
const DISPUTED = new Set([0x0006, 0x0007]);

class Cut extends Error {}

/**
 * Reads a TNEF MAPI property list (MS-OXTNEF 2.1.3.5) for the file names, the attachment method and the
 * types its content values sniff as (each `PidTagAttachDataBinary`); an attached message (an object holding a TNEF stream) is read by
 * `readNested`, its files' names joining these. Linear in the list's length; every length is checked against
 * what is left, so a list that claims more than it holds, a type it does not know, or an OLE object is a
 * `problem`, never a wrong read. `onContent`, when given, receives each content value (`PidTagAttachDataBinary`,
 * and an OLE object's storage after its interface id, which is then no problem): for a reader of what they say;
 * `onBinary` every binary value with its property id (a message's PR_RTF_COMPRESSED body).
 *
 * @example
 * ```ts
 * readTnefProperties(attachmentAttribute, (bytes) => {
 *   const reader = new TnefReader(1);
 *   reader.push(bytes);
 *   return reader.end();
 * });
 * // { names: ['invoice.exe', '.exe'], nestedTypes: [] }
 * ```
 */
export function readTnefProperties(
  data: Buffer,
  readNested: (stream: Buffer) => TnefFiles,
  onContent?: (content: Buffer) => void,
  onBinary?: (id: number, value: Buffer) => void,
): TnefProperties {
  const names: string[] = [];
  const nestedTypes: string[] = [];
  let archived = false;
  let page: string | undefined;
  const calendars: CalendarScan[] = [];
  const fileNames: string[] = [];
  const unnamedTypes: string[] = [];
  const linkedNames: string[] = [];
  const carried = (files: { unnamedTypes?: string[]; linkedNames?: string[] }) => {
    unnamedTypes.push(...(files.unnamedTypes ?? []));
    linkedNames.push(...(files.linkedNames ?? []));
  };
  let reference: number | undefined;
  let at = 0;
  const take = (bytes: number): number => {
    if (bytes < 0 || at + bytes > data.length) throw new Cut();
    const from = at;
    at += bytes;
    return from;
  };
  const u32 = () => data.readUInt32LE(take(4));
  try {
    const count = u32();
    for (let n = 0; n < count; n++) {
      const type = data.readUInt16LE(take(2));
      let id = data.readUInt16LE(take(2));
      if (id >= 0x8000) {
        take(16); // the named property's GUID
        const kind = u32();
        // By number: the tnef tool takes the number for the property's id, so 0x3707 names the file.
        if (kind === 0) id = u32() & 0xffff;
        else if (kind === 1) take(padded(u32()));
        // ytnef and the tnef tool read any other kind as a count of names, and frame what follows otherwise.
        else return { names, nestedTypes, problem: `a named property of kind ${kind}` };
      }
      const base = type & ~MULTIPLE;
      if (DISPUTED.has(base))
        return {
          names,
          nestedTypes,
          problem: `a property of type 0x${hex(type)} that readers frame differently`,
        };
      const values = type & MULTIPLE || VARIABLE.has(base) ? u32() : 1;
      // ytnef reads one value of a single-valued string or binary whatever count it claims.
      if (!(type & MULTIPLE) && values !== 1)
        return { names, nestedTypes, problem: `a single-valued property with ${values} values` };
      for (let v = 0; v < values; v++) {
        const fixed = FIXED_BYTES.get(base);
        if (fixed !== undefined) {
          const from = take(fixed);
          // A reader of the contents (onContent) reads an OLE object's storage as the content it is.
          if (!onContent && id === ATTACH_METHOD && base === 0x0003 && data.readUInt32LE(from) === OLE_METHOD)
            return { names, nestedTypes, problem: 'it holds an OLE object' };
          if (id === ATTACH_METHOD && base === 0x0003 && BY_REFERENCE.has(data.readUInt32LE(from)))
            reference = data.readUInt32LE(from);
          continue;
        }
        if (!VARIABLE.has(base))
          return { names, nestedTypes, problem: `a property of unknown type 0x${hex(type)}` };
        const length = u32();
        const from = take(padded(length));
        const value = data.subarray(from, from + length);
        // An attached message: an object holding a TNEF stream, or binary content holding one (ytnef reads it).
        const binary = id === ATTACH_DATA && base === PT_BINARY;
        const start = base === PT_OBJECT ? IID_BYTES : binary ? nestedStart(value) : undefined;
        if (base === PT_OBJECT && nestedStart(value) !== IID_BYTES) {
          if (!onContent)
            return { names, nestedTypes, problem: 'it holds an object that is not an attached message' };
          onContent(value.subarray(IID_BYTES)); // an OLE object's storage, after its interface id
          continue;
        }
        if (start !== undefined) {
          const nested = readNested(value.subarray(start));
          names.push(...nested.names);
          nestedTypes.push(...nested.sniffedTypes);
          carried(nested);
          if (nested.problem)
            return { names, nestedTypes, problem: `an attached message: ${nested.problem}` };
          continue;
        }
        if (base === PT_BINARY) onBinary?.(id, value);
        const named: string[] = [];
        if (NAME_IDS.has(id) && base === PT_STRING8) named.push(trimNul(value.toString('latin1')));
        if (NAME_IDS.has(id) && base === PT_UNICODE) named.push(trimNul(value.toString('utf16le')));
        // A client may read a binary name as a string (MimeKit does): both spellings count.
        if (NAME_IDS.has(id) && base === PT_BINARY)
          named.push(trimNul(value.toString('latin1')), trimNul(value.toString('utf16le')));
        names.push(...named);
        fileNames.push(...named.filter((name) => name.trim() !== ''));
        // Every content value is sniffed: a client may read any of them (the last one written, say), and
        // ytnef and Evolution save this one from byte 16, as an object after its interface id.
        if (binary) {
          onContent?.(value);
          const read: CalendarScan = { carry: '', names: [] };
          scanCalendar(read, calendarChunk(read, value), true);
          if (calendarFound(read)) calendars.push(read);
          for (const content of [value, value.subarray(IID_BYTES)]) {
            const sniffed = sniffType(content);
            if (sniffed) nestedTypes.push(sniffed);
            // An archive there is opened as an attached one is: a zip is listed, another is not known.
            const archive = carriedFiles(content, [], true);
            if (!archive) continue;
            archived = true;
            page ??= archive.page;
            carried(archive);
            names.push(...archive.names);
            nestedTypes.push(...archive.sniffedTypes);
            if (archive.problem) return { names, nestedTypes, problem: archive.problem };
          }
        }
      }
    }
  } catch (error) {
    if (!(error instanceof Cut) && !(error instanceof RangeError)) throw error;
    return { names, nestedTypes, problem: 'an attachment property list ends before its properties do' };
  }
  // Its names are read (a path to a blocked file says so), but what Outlook opens is not in the message.
  if (reference !== undefined)
    return {
      names,
      nestedTypes,
      problem: `an attachment by reference (method ${reference}): Outlook opens the file at its path, which is not in the message`,
    };
  return {
    names,
    nestedTypes,
    ...(archived ? { archived } : {}),
    ...(fileNames.length > 0 ? { fileNames } : {}),
    ...(page ? { page } : {}),
    ...(calendars.length > 0 ? { calendars } : {}),
    ...(unnamedTypes.length > 0 ? { unnamedTypes } : {}),
    ...(linkedNames.length > 0 ? { linkedNames } : {}),
  };
}

function padded(length: number): number {
  return length + ((4 - (length % 4)) % 4);
}

/** A name as a client reads it: up to its terminating NULs (a NUL inside stays, for the name variants). */
export function trimNul(value: string): string {
  // A loop, not `/\0+$/`: that pattern retries a run of NULs from each of them when the run does not end the name.
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0) end--;
  return value.slice(0, end);
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
