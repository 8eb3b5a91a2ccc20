import { type CalendarScan, calendarChunk, scanCalendar } from './calendar-names.js';
import { CarriedArchive, type CarriedFiles } from './carried-archive.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';

/** What a TNEF stream (winmail.dat) holds that a mail client unpacks and shows as attachments. */
export interface TnefFiles {
  /** Every name of every file inside (titles, transport and long file names, extensions), decoded. */
  names: string[];
  /** Types the files' first bytes reveal, when recognisable. */
  sniffedTypes: string[];
  /** The FMTTYPEs of unnamed inline files of calendars inside, by which a client names them. */
  unnamedTypes?: string[];
  /** Names of files calendars inside link to by address, judged by their extensions only (see calendar-names.ts). */
  linkedNames?: string[];
  /** Why the list cannot be trusted to be whole (cut short, too large, an object not read). */
  problem?: string;
}

/** A TNEF stream read as its bytes arrive (the reader, one level deeper). */
export interface NestedReader {
  push(chunk: Buffer): boolean;
  end(): TnefFiles;
}

/** The first 4 bytes of every TNEF stream (MS-OXTNEF), little-endian. */
export const TNEF_SIGNATURE = 0x223e9f78;
/** An object value starts with its interface id (16 bytes), before the stream it holds. */
export const IID_BYTES = 16;

/** Where a TNEF stream starts in a file content: at 0, or after an object's interface id; else undefined. */
export function nestedStart(content: Buffer): number | undefined {
  for (const at of [0, IID_BYTES]) {
    if (content.length >= at + 4 && content.readUInt32LE(at) === TNEF_SIGNATURE) return at;
  }
  return undefined;
}

/**
 * One file content (an `attAttachData`) as it streams past: its first bytes, sniffed when it ends, and, when
 * it is itself a TNEF stream (ytnef and Evolution unpack it as an attached message), that stream read by a
 * reader one level deeper, as the bytes arrive.
 *
 * @example
 * ```ts
 * const content = new TnefContent(() => new TnefReader(1));
 * content.push(attachDataBytes);
 * content.end(); // { type: 'application/x-msdownload' } or { files: { names: ['setup.exe'], … } }
 * ```
 */
export class TnefContent {
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided = false;
  private inner?: NestedReader;
  // A zip is listed as an attached one is (Outlook unpacks winmail.dat and offers it as a file).
  private readonly archive = new CarriedArchive();
  // Read as a calendar, in case the file is named one (its names come in other attributes): Outlook opens an
  // `invite.ics` from a winmail.dat as an invitation, offering the files of its ATTACH properties (round 68).
  private readonly calendar: CalendarScan = { carry: '', names: [] };

  constructor(private readonly nested: () => NestedReader) {}

  push(piece: Buffer): void {
    const inner = this.inner;
    this.archive.push(piece);
    scanCalendar(this.calendar, calendarChunk(this.calendar, piece), false);
    if (this.headBytes < SNIFF_BYTES) {
      const head = piece.subarray(0, SNIFF_BYTES - this.headBytes);
      this.head.push(head);
      this.headBytes += head.length;
    }
    if (inner) inner.push(piece);
    else if (!this.decided && this.headBytes >= IID_BYTES + 4) this.decide();
  }

  /**
   * The content is all there (or cut short): the type its first bytes show, the files of a stream inside,
   * the files of an archive it is.
   */
  end(): { type?: string; files?: TnefFiles; archive?: CarriedFiles; calendar: CalendarScan } {
    if (!this.decided) this.decide();
    scanCalendar(this.calendar, '', true);
    const type = this.headBytes > 0 ? sniffType(Buffer.concat(this.head)) : undefined;
    // Its names come in other attributes, before or after: the reader judges a page inside at the file's end.
    const archive = this.archive.end([], true);
    return {
      ...(type ? { type } : {}),
      ...(this.inner ? { files: this.inner.end() } : {}),
      ...(archive ? { archive } : {}),
      calendar: this.calendar,
    };
  }

  private decide(): void {
    this.decided = true;
    const head = Buffer.concat(this.head);
    const at = nestedStart(head);
    if (at === undefined) return;
    this.inner = this.nested();
    this.inner.push(head.subarray(at));
  }
}
