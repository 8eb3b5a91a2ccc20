import { type CalendarScan, calendarChunk, isCalendar, scanCalendar } from './calendar-names.js';
import { CarriedArchive } from './carried-archive.js';
import { nameVariants } from './file-names.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';
import type { TnefFiles } from './tnef-content.js';

// AppleSingle and AppleDouble (RFC 1740, Apple's "AppleSingle/AppleDouble Formats" note): a big-endian magic,
// a version, 16 filler bytes, a count of entries, then one 12-byte descriptor per entry (id, offset, length)
// into the file. Apple Mail decodes an `application/applefile` part (an AppleSingle file) into the file its data
// fork holds (MCMimePart decodeApplicationApplefile), and metamail's rcvAppleSingle and Mozilla's
// nsDecodeAppleFile do likewise: the file a client saves starts at the data fork, not at the part's first byte,
// and may be named by the real-name entry. An AppleDouble header (the first part of a multipart/appledouble) names
// the file its second part carries.
/** The first byte of an AppleSingle or AppleDouble file (its magic is big-endian). */
export const APPLE_FILE_FIRST_BYTE = 0x00;
const APPLE_SINGLE = 0x00051600;
const APPLE_DOUBLE = 0x00051607;
const MAGIC_BYTES = 4;
const HEADER_BYTES = 26;
const DESCRIPTOR_BYTES = 12;
const DATA_FORK = 1;
const REAL_NAME = 3;
/** Most entries read; a file with more is not read (an AppleSingle file has a handful). */
export const MAX_APPLE_ENTRIES = 64;
/** Most data forks read (each is sniffed and, when an archive, kept to be listed). */
export const MAX_APPLE_DATA_FORKS = 4;
/** Longest real name read (HFS+ names are at most 255 UTF-16 units). */
export const MAX_APPLE_NAME_BYTES = 1024;

interface Entry {
  id: number;
  start: number;
  end: number;
  /** A data fork's first bytes, or a real name's bytes. */
  head: Buffer[];
  headBytes: number;
  /** A data fork's bytes, kept while they may be an archive. */
  archive?: CarriedArchive;
  /** A data fork read as a calendar, which counts when the file is named one (`invite.ics`). */
  calendar?: CalendarScan;
}

/**
 * An AppleSingle or AppleDouble file read as its bytes arrive: the names its real-name entries give, and what
 * each data fork is (its first bytes sniffed; an archive listed as a carried one is), as a client that decodes
 * the part saves it. Bounded: at most {@link MAX_APPLE_ENTRIES} descriptors, {@link MAX_APPLE_DATA_FORKS} data
 * forks (each kept only while it may be an archive, as a carried archive is) and names of
 * {@link MAX_APPLE_NAME_BYTES}; past them, or cut short, the file has a `problem`.
 *
 * @example
 * ```ts
 * const reader = new AppleFileReader();
 * reader.push(appleSingleBytes); // false when the bytes are no AppleSingle or AppleDouble file
 * reader.end(['invoice.pdf']); // { names: ['invoice.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export class AppleFileReader {
  private head: Buffer[] = [];
  private headBytes = 0;
  private entries?: Entry[];
  private at = 0;
  private problem?: string;
  private kind = 'AppleSingle';

  /** Takes the next bytes; false when the content does not start as an AppleSingle or AppleDouble file. */
  push(chunk: Buffer): boolean {
    if (this.problem) return true;
    if (this.entries) {
      this.feed(chunk, this.at);
      this.at += chunk.length;
      return true;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    const head = Buffer.concat(this.head);
    this.head = [head];
    if (head.length < MAGIC_BYTES) return true;
    const magic = head.readUInt32BE(0);
    if (magic !== APPLE_SINGLE && magic !== APPLE_DOUBLE) return false;
    if (magic === APPLE_DOUBLE) this.kind = 'AppleDouble';
    if (head.length < HEADER_BYTES) return true;
    const count = head.readUInt16BE(24);
    if (count > MAX_APPLE_ENTRIES) {
      this.problem = `an ${this.kind} file with more than ${MAX_APPLE_ENTRIES} entries`;
      this.head = [];
      return true;
    }
    const size = HEADER_BYTES + count * DESCRIPTOR_BYTES;
    if (head.length < size) return true;
    this.entries = this.readEntries(head, count);
    this.head = [];
    if (!this.problem) this.feed(head, 0);
    this.at = head.length;
    return true;
  }

  /**
   * The content is all there (or cut short): the files it holds. `names` are the part's own names, under which a
   * client may save the data fork too (a compressed file named after what it holds).
   */
  end(names: readonly string[] = []): TnefFiles {
    if (!this.entries) {
      // Fewer bytes than a magic: no such file. A header cut short: what it holds is not known.
      if (this.headBytes < MAGIC_BYTES || this.problem) return this.result([], []);
      this.problem = `an ${this.kind} file cut short inside its header`;
      return this.result([], []);
    }
    const found: string[] = [];
    const types: string[] = [];
    const unnamedTypes: string[] = [];
    const linkedNames: string[] = [];
    // Real names come first in the result: a data fork is saved under them (or the part's own names).
    for (const entry of this.entries)
      if (entry.id === REAL_NAME) {
        const bytes = Buffer.concat(entry.head);
        // Mac OS Roman and UTF-8 spell ASCII alike; both readings count.
        for (const name of [bytes.toString('latin1'), bytes.toString('utf8')])
          if (name && !found.includes(name)) found.push(name);
      }
    const saved = [...found, ...names].flatMap(nameVariants);
    for (const entry of this.entries) {
      if (entry.end > this.at)
        this.problem ??= `an ${this.kind} file whose entry ${entry.id} runs past its end`;
      if (entry.id === REAL_NAME) continue;
      const bytes = Buffer.concat(entry.head);
      const type = bytes.length > 0 ? sniffType(bytes) : undefined;
      if (type && !types.includes(type)) types.push(type);
      // A data fork saved as a calendar (`invite.ics`), which Calendar opens as an invitation offering the files of
      // its ATTACH properties, is read as an attached one is (attacker round 69).
      const calendar = entry.calendar;
      if (calendar && isCalendar('', saved)) {
        scanCalendar(calendar, '', true);
        // A calendar may name thousands of files: each is looked up once.
        const seen = new Set(found);
        for (const name of calendar.names)
          if (!seen.has(name)) {
            seen.add(name);
            found.push(name);
          }
        for (const t of calendar.types ?? []) if (!types.includes(t)) types.push(t);
        unnamedTypes.push(...(calendar.unnamedTypes ?? []));
        linkedNames.push(...(calendar.links ?? []));
        if (calendar.problem)
          this.problem ??= `a calendar in the data fork of an ${this.kind} file: ${calendar.problem}`;
      }
      const archive = entry.archive?.end([...found, ...names]);
      if (!archive) continue;
      for (const name of archive.names) if (!found.includes(name)) found.push(name);
      for (const t of archive.sniffedTypes) if (!types.includes(t)) types.push(t);
      // What calendars inside give besides names (attacker round 69: these were dropped).
      unnamedTypes.push(...(archive.unnamedTypes ?? []));
      linkedNames.push(...(archive.linkedNames ?? []));
      if (archive.problem)
        this.problem ??= `an archive in the data fork of an ${this.kind} file: ${archive.problem}`;
    }
    return {
      ...this.result(found, types),
      ...(unnamedTypes.length > 0 ? { unnamedTypes: [...new Set(unnamedTypes)] } : {}),
      ...(linkedNames.length > 0 ? { linkedNames: [...new Set(linkedNames)] } : {}),
    };
  }

  private result(names: string[], sniffedTypes: string[]): TnefFiles {
    return { names, sniffedTypes, ...(this.problem ? { problem: this.problem } : {}) };
  }

  // The descriptors of the data forks and real names (the others hold nothing a client saves as the file).
  private readEntries(head: Buffer, count: number): Entry[] {
    const entries: Entry[] = [];
    let forks = 0;
    for (let i = 0; i < count; i++) {
      const at = HEADER_BYTES + i * DESCRIPTOR_BYTES;
      const id = head.readUInt32BE(at);
      if (id !== DATA_FORK && id !== REAL_NAME) continue;
      const start = head.readUInt32BE(at + 4);
      const length = head.readUInt32BE(at + 8);
      if (id === REAL_NAME && length > MAX_APPLE_NAME_BYTES) {
        this.problem ??= `an ${this.kind} file whose real name is over ${MAX_APPLE_NAME_BYTES} bytes`;
        continue;
      }
      if (id === DATA_FORK && ++forks > MAX_APPLE_DATA_FORKS) {
        this.problem ??= `an ${this.kind} file with more than ${MAX_APPLE_DATA_FORKS} data forks`;
        continue;
      }
      const entry: Entry = { id, start, end: start + length, head: [], headBytes: 0 };
      if (id === DATA_FORK) {
        entry.archive = new CarriedArchive();
        entry.calendar = { carry: '', names: [] };
      }
      entries.push(entry);
    }
    return entries;
  }

  // Hands each entry the bytes of `chunk` (which starts at offset `from` of the file) that fall inside it.
  private feed(chunk: Buffer, from: number): void {
    const to = from + chunk.length;
    for (const entry of this.entries ?? []) {
      const start = Math.max(entry.start, from);
      const end = Math.min(entry.end, to);
      if (start >= end) continue;
      const piece = chunk.subarray(start - from, end - from);
      entry.archive?.push(piece);
      if (entry.calendar) scanCalendar(entry.calendar, calendarChunk(entry.calendar, piece), false);
      const keep = entry.id === REAL_NAME ? MAX_APPLE_NAME_BYTES : SNIFF_BYTES;
      if (entry.headBytes >= keep) continue;
      const kept = piece.subarray(0, keep - entry.headBytes);
      entry.head.push(kept);
      entry.headBytes += kept.length;
    }
  }
}
