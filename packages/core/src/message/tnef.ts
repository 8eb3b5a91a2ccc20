import { type CalendarScan, calendarFound, isCalendar } from './calendar-names.js';
import { carriedPageProblem, misnamed } from './carried-archive.js';
import { nameVariants } from './file-names.js';
import { asciiCodePage } from './tnef-codepage.js';
import { type NestedReader, TNEF_SIGNATURE, TnefContent, type TnefFiles } from './tnef-content.js';
import { readTnefProperties, trimNul } from './tnef-properties.js';

export type { TnefFiles } from './tnef-content.js';

/** The first byte of every TNEF stream (its signature, little-endian): other content is not read as TNEF. */
export const TNEF_FIRST_BYTE = 0x78;
// Attributes by their names, the low 16 bits of their ids: the tnef tool reads no more, whatever type the
// high 16 bits claim (attAttachTitle is 0x00018010; 0x00068010 is a title to it too).
const ATT_ATTACH_RENDDATA = 0x9002;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_TRANSPORT_FILENAME = 0x9001;
const ATT_ATTACHMENT = 0x9005;
const ATT_ATTACH_DATA = 0x800f;
// The code page of the stream's 8-bit strings (a message attribute: it sets how every 8-bit name reads).
const ATT_OEM_CODEPAGE = 0x9007;
const FILE_WHOLE = [ATT_ATTACH_TITLE, ATT_ATTACH_TRANSPORT_FILENAME, ATT_ATTACHMENT];
const READ_WHOLE = new Set([...FILE_WHOLE, ATT_OEM_CODEPAGE]);
// Read by their ids whatever level they claim: a reader that goes by the id alone would show the file.
const FILE_ATTRIBUTES = new Set([ATT_ATTACH_RENDDATA, ATT_ATTACH_DATA, ...FILE_WHOLE]);
/** Largest attribute read whole (names, an attachment's property list); larger ones cannot be read. */
export const MAX_TNEF_ATTRIBUTE_BYTES = 8 * 1024 * 1024;
/** Most files a TNEF stream may hold before the list is not read further. */
export const MAX_TNEF_FILES = 1000;
/** Most distinct file names a TNEF stream may hold (several per file) before the list is not read further. */
export const MAX_TNEF_NAMES = 10_000;
/** Attached messages inside attached messages read, at most. */
export const MAX_TNEF_DEPTH = 8;

type Step = 'signature' | 'key' | 'header' | 'data' | 'checksum' | 'done';
const FIELD_BYTES: Record<Step, number> = { signature: 4, key: 2, header: 9, data: 0, checksum: 2, done: 0 };

/**
 * Reads a TNEF stream (MS-OXTNEF: `application/ms-tnef`, `winmail.dat`) as its bytes arrive, for the names
 * and first bytes of the files inside it, which Outlook and other clients unpack and offer as attachments.
 * Attributes are framed by their lengths and read in one pass: names and property lists are kept (up to
 * {@link MAX_TNEF_ATTRIBUTE_BYTES} each), file contents only for their first bytes. A stream that ends
 * inside an attribute, an attribute too large to read, too many files, or an attached message or OLE
 * object inside (not read) leaves a `problem`: the list is then not known to be whole.
 *
 * @example
 * ```ts
 * const reader = new TnefReader();
 * if (reader.push(decodedPartBytes)) console.log(reader.end()); // { names: ['invoice.exe'], sniffedTypes: [...] }
 * ```
 */
export class TnefReader {
  private step: Step = 'signature';
  private field: Buffer[] = [];
  private fieldBytes = 0;
  private id = 0;
  private left = 0;
  private whole?: Buffer[];
  private inFile = false;
  private files = 0;
  // Every name once, in the order met: a set, so that repeated names cost no more than new ones.
  private readonly names = new Set<string>();
  private problem?: string;
  private readonly types = new Set<string>();
  private readonly unnamedTypes = new Set<string>();
  // Names of files calendars inside link to by address, judged by their extensions only (attacker round 69).
  private readonly linkedNames = new Set<string>();
  // The attAttachData being read: each one is sniffed on its own (a client may keep the last one, or the first).
  private content?: TnefContent;
  // The file being read: its names (`own`: the file's, not those of files inside it), whether its content was an
  // archive, listed, and a page inside that archive (counted at the file's end, once its names are known).
  private file?: {
    names: Set<string>;
    own: Set<string>;
    listed: boolean;
    page?: string;
    calendars: CalendarScan[];
  };

  /**
   * @param depth How many attached messages deep this stream sits (0: the part itself).
   * @param anySignature Read on whatever the first 4 bytes (a part declared TNEF: MimeKit's loose mode does).
   */
  constructor(
    private readonly depth = 0,
    private readonly anySignature = false,
  ) {}

  /** Takes the next bytes; false when the stream does not start as TNEF does (nothing more to read). */
  push(chunk: Buffer): boolean {
    let at = 0;
    while (at < chunk.length && this.step !== 'done') {
      if (this.step === 'data') {
        at = this.takeData(chunk, at);
        continue;
      }
      const need = FIELD_BYTES[this.step] - this.fieldBytes;
      const piece = chunk.subarray(at, at + need);
      this.field.push(piece);
      this.fieldBytes += piece.length;
      at += piece.length;
      if (this.fieldBytes < FIELD_BYTES[this.step]) break;
      const field = this.field.length === 1 ? (this.field[0] as Buffer) : Buffer.concat(this.field);
      this.field = [];
      this.fieldBytes = 0;
      if (!this.endField(field)) return false;
    }
    return true;
  }

  /** The files read; a stream that stopped inside an attribute has a `problem`. */
  end(): TnefFiles {
    // Fewer bytes than a signature: not TNEF.
    if (this.step === 'signature') return { names: [], sniffedTypes: [] };
    if (this.step !== 'header' && this.step !== 'done') {
      this.problem ??= 'it ends inside an attribute';
    } else if (this.step === 'header' && this.fieldBytes > 0) {
      this.problem ??= 'it ends inside an attribute header';
    }
    if (this.step === 'data' && this.content) this.endContent();
    if (this.step !== 'done') this.endFile();
    const sniffedTypes = [...this.types];
    return {
      names: [...this.names],
      sniffedTypes,
      ...(this.unnamedTypes.size > 0 ? { unnamedTypes: [...this.unnamedTypes] } : {}),
      ...(this.linkedNames.size > 0 ? { linkedNames: [...this.linkedNames] } : {}),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  private endField(field: Buffer): boolean {
    switch (this.step) {
      case 'signature':
        if (!this.anySignature && field.readUInt32LE(0) !== TNEF_SIGNATURE) return false;
        this.step = 'key';
        return true;
      case 'key':
        this.step = 'header';
        return true;
      case 'header':
        this.id = field.readUInt16LE(1);
        this.left = field.readUInt32LE(5);
        this.startAttribute();
        return true;
      default:
        this.step = 'header'; // the checksum: not checked, a lenient client does not either
        return true;
    }
  }

  private startAttribute(): void {
    this.step = this.left === 0 ? 'checksum' : 'data';
    this.whole = undefined;
    const file = FILE_ATTRIBUTES.has(this.id);
    if (!file && !READ_WHOLE.has(this.id)) return;
    if (file && (this.id === ATT_ATTACH_RENDDATA || !this.inFile)) {
      if (this.files >= MAX_TNEF_FILES) {
        this.stop(`it holds more than ${MAX_TNEF_FILES} files`);
        return;
      }
      this.inFile = true;
      this.files++;
      this.endFile();
      this.file = { names: new Set(), own: new Set(), listed: false, calendars: [] };
    }
    if (READ_WHOLE.has(this.id)) {
      if (this.left > MAX_TNEF_ATTRIBUTE_BYTES) {
        this.stop(`an attribute of ${this.left} bytes is over ${MAX_TNEF_ATTRIBUTE_BYTES}`);
        return;
      }
      this.whole = [];
    }
    if (this.id === ATT_ATTACH_DATA) this.content = new TnefContent(() => this.nestedReader());
    if (this.left === 0) this.endAttribute(Buffer.alloc(0));
  }

  private takeData(chunk: Buffer, at: number): number {
    const piece = chunk.subarray(at, at + this.left);
    this.left -= piece.length;
    this.whole?.push(piece);
    this.content?.push(piece);
    if (this.left === 0) {
      this.step = 'checksum';
      this.endAttribute(this.whole ? Buffer.concat(this.whole) : Buffer.alloc(0));
    }
    return at + piece.length;
  }

  private endAttribute(data: Buffer): void {
    this.whole = undefined;
    if (this.content) this.endContent();
    if (this.id === ATT_ATTACH_TITLE || this.id === ATT_ATTACH_TRANSPORT_FILENAME) {
      this.addName(data.toString('latin1'));
      this.addOwnName(data.toString('latin1'));
      return;
    }
    if (this.id === ATT_OEM_CODEPAGE) {
      const codePage = data.length >= 4 ? data.readUInt32LE(0) : undefined;
      if (codePage === undefined || !asciiCodePage(codePage))
        this.stop(
          `its 8-bit names are in code page ${codePage ?? '(unreadable)'}, which spells ASCII otherwise`,
        );
      return;
    }
    if (this.id !== ATT_ATTACHMENT) return;
    const properties = readTnefProperties(data, (stream) => {
      const reader = this.nestedReader();
      reader.push(stream);
      return reader.end();
    });
    for (const name of properties.names) this.addName(name);
    for (const name of properties.fileNames ?? []) this.addOwnName(name);
    for (const type of properties.nestedTypes) this.types.add(type);
    if (properties.archived && this.file) this.file.listed = true;
    if (properties.page) this.addPage(properties.page);
    if (this.file) this.file.calendars.push(...(properties.calendars ?? []));
    for (const type of properties.unnamedTypes ?? []) this.unnamedTypes.add(type);
    for (const linked of properties.linkedNames ?? []) this.addLinked(linked);
    if (properties.problem) this.stop(properties.problem);
  }

  private endContent(): void {
    const { type, files, archive, calendar } = (this.content as TnefContent).end();
    this.content = undefined;
    if (type) this.types.add(type);
    // What it holds as a calendar counts once the file's names say it is one (at its end).
    if (this.file && calendarFound(calendar)) this.file.calendars.push(calendar);
    if (archive) {
      if (this.file) this.file.listed = true;
      for (const name of archive.names) this.addName(name);
      for (const inner of archive.sniffedTypes) this.types.add(inner);
      for (const unnamed of archive.unnamedTypes ?? []) this.unnamedTypes.add(unnamed);
      for (const linked of archive.linkedNames ?? []) this.addLinked(linked);
      if (archive.page) this.addPage(archive.page);
      if (archive.problem) this.stop(archive.problem);
    }
    if (!files) return;
    for (const name of files.names) this.addName(name);
    for (const nested of files.sniffedTypes) this.types.add(nested);
    for (const unnamed of files.unnamedTypes ?? []) this.unnamedTypes.add(unnamed);
    for (const linked of files.linkedNames ?? []) this.addLinked(linked);
    if (files.problem) this.stop(`an attached message: ${files.problem}`);
  }

  // A reader one level deeper, for an attached message; past the depth, one that reads nothing and says so.
  private nestedReader(): NestedReader {
    if (this.depth < MAX_TNEF_DEPTH) return new TnefReader(this.depth + 1);
    const problem = `attached messages nest deeper than ${MAX_TNEF_DEPTH}`;
    return { push: () => true, end: () => ({ names: [], sniffedTypes: [], problem }) };
  }

  private addName(raw: string): void {
    const name = trimNul(raw);
    if (name.trim() !== '' && this.file) this.addFileName(this.file.names, name);
    if (name.trim() === '' || this.names.has(name)) return;
    if (this.names.size >= MAX_TNEF_NAMES) this.stop(`it holds more than ${MAX_TNEF_NAMES} names`);
    else this.names.add(name);
  }

  // A calendar file (`invite.ics`) Outlook opens as an invitation: the files of its ATTACH properties are the
  // stream's files too, an unnamed one judged by its type (attacker round 68).
  private addCalendar(calendar: CalendarScan): void {
    for (const name of calendar.names) this.addName(name);
    for (const type of calendar.types ?? []) this.types.add(type);
    for (const type of calendar.unnamedTypes ?? []) this.unnamedTypes.add(type);
    for (const linked of calendar.links ?? []) this.addLinked(linked);
    if (calendar.problem) this.stop(`a calendar inside: ${calendar.problem}`);
  }

  private addLinked(name: string): void {
    if (this.linkedNames.has(name)) return;
    if (this.linkedNames.size >= MAX_TNEF_NAMES) this.stop(`it links to more than ${MAX_TNEF_NAMES} files`);
    else this.linkedNames.add(name);
  }

  private addOwnName(raw: string): void {
    const name = trimNul(raw);
    if (name.trim() !== '' && this.file) this.addFileName(this.file.own, name);
  }

  // A file's names, each once: every one counts (a name pushed out by repeats of another would escape the checks that
  // need all of them, such as the Office-package exemption), so past the bound the list is a problem, not cut.
  private addFileName(names: Set<string>, name: string): void {
    if (names.has(name)) return;
    if (names.size >= MAX_TNEF_NAMES) this.stop(`it holds more than ${MAX_TNEF_NAMES} names`);
    else names.add(name);
  }

  // A page inside an archive the file is: judged at the file's end, by the names it is saved under.
  private addPage(page: string): void {
    if (this.file) this.file.page ??= page;
    else this.stop(page);
  }

  // A file saved under an archive's name is opened as one: when its content was not one listed, what the
  // client finds inside is not known. A page inside an archive it is runs when opened from the folder a client
  // shows, unless the file opens in Office (attacker round 68).
  private endFile(): void {
    const file = this.file;
    this.file = undefined;
    if (!file) return;
    const page = carriedPageProblem(file.page, [...file.own]);
    if (page) this.stop(page);
    if (isCalendar('', [...file.own].flatMap(nameVariants)))
      for (const calendar of file.calendars) this.addCalendar(calendar);
    if (file.listed) return;
    const problem = misnamed([...file.names])?.problem;
    if (problem) this.stop(problem);
  }

  private stop(problem: string): void {
    this.problem ??= problem;
    this.step = 'done';
  }
}
