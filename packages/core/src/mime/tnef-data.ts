// The file contents of a TNEF stream (winmail.dat, MS-OXTNEF) held whole in memory: what Outlook unpacks and
// shows as attachments, for the DLP to read as it reads an attached file. Attributes are framed by their
// lengths: a level byte, an id (its low 16 bits name the attribute), a length, the data, a checksum.

const SIGNATURE = 0x223e9f78;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_RENDDATA = 0x9002;

/** One file of a TNEF stream: its title (as stored, Latin-1) and its bytes. */
export interface TnefData {
  name: string;
  bytes: Buffer;
  /** Its other names (the long and short file names of its MAPI properties), when it has them. */
  names?: string[];
}

/** True when `bytes` start as a TNEF stream does. */
export function isTnef(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === SIGNATURE;
}

/**
 * The files (`attAttachData`) of a TNEF stream, at most `maxFiles`. Throws when the stream ends inside an
 * attribute or holds more files: the caller then reports the part unread (not knowing is not allowing).
 *
 * @example
 * ```ts
 * for (const file of tnefData(winmailDat, 1000)) read(file.bytes);
 * ```
 */
export function tnefData(bytes: Buffer, maxFiles: number): TnefData[] {
  const files: TnefData[] = [];
  // The attachment being read: its title and its file, in either order (Outlook writes the data first).
  let title = '';
  let file: TnefData | undefined;
  let at = 6; // signature and key
  while (at < bytes.length) {
    if (at + 9 > bytes.length) throw new Error('winmail.dat ends inside an attribute header');
    const id = bytes.readUInt16LE(at + 1);
    const length = bytes.readUInt32LE(at + 5);
    const start = at + 9;
    if (start + length > bytes.length) throw new Error('winmail.dat ends inside an attribute');
    const data = bytes.subarray(start, start + length);
    if (id === ATT_ATTACH_RENDDATA) {
      title = '';
      file = undefined;
    } else if (id === ATT_ATTACH_TITLE) {
      title = data.toString('latin1').replace(/\0[\s\S]*$/, '');
      if (file) file.name = title;
    } else if (id === ATT_ATTACH_DATA) {
      if (files.length >= maxFiles) throw new Error(`winmail.dat holds more than ${maxFiles} files`);
      file = { name: title, bytes: data };
      files.push(file);
    }
    at = start + length + 2;
  }
  return files;
}
