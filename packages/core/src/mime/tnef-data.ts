// The file contents of a TNEF stream (winmail.dat, MS-OXTNEF) held whole in memory: what Outlook unpacks and
// shows as attachments, for the DLP to read as it reads an attached file. Attributes are framed by their
// lengths: a level byte, an id (its low 16 bits name the attribute), a length, the data, a checksum.

import { readTnefProperties } from '../message/tnef-properties.js';
import { binaryReading } from './binary-text.js';
import { lzfuDecompress } from './lzfu.js';

const SIGNATURE = 0x223e9f78;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_RENDDATA = 0x9002;
const ATT_ATTACHMENT = 0x9005;
// attMsgProps: the message's MAPI properties, its body among them.
const ATT_MSG_PROPS = 0x9003;
// PR_RTF_COMPRESSED: the body Outlook shows, RTF compressed (MS-OXRTFCP).
const PR_RTF_COMPRESSED = 0x1009;
// Attached messages inside attached messages read, at most; deeper, the stream is not read.
const MAX_DEPTH = 8;
// The interface id a client may save a content value after (ytnef and Evolution do).
const IID_BYTES = 16;

/** One file of a TNEF stream: its title (as stored, Latin-1) and its bytes. */
export interface TnefData {
  name: string;
  bytes: Buffer;
  /** Its other names (the long and short file names of its MAPI properties), when it has them. */
  names?: string[];
  /** The message's body (PR_RTF_COMPRESSED, decompressed), not a file: RTF, read as the body Outlook shows. */
  body?: 'rtf';
}

/** True when `bytes` start as a TNEF stream does. */
export function isTnef(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === SIGNATURE;
}

/**
 * The files of a TNEF stream, at most `maxFiles`: each attachment's `attAttachData`, and the contents its MAPI
 * property list (`attAttachment`) holds (`PR_ATTACH_DATA_BIN`, an OLE object's storage), named by its title and by
 * the list's file names; the files of an attached message inside too. The message's compressed RTF body
 * (PR_RTF_COMPRESSED in `attMsgProps`, which Outlook shows as the message) is given too, decompressed, as a
 * `body: 'rtf'` entry of at most `maxBodyBytes`. Throws when the stream ends inside an attribute, holds more files,
 * a property list that cannot be read whole, or a body that cannot be decompressed within the bound: the caller
 * then reports the part unread (not knowing is not allowing).
 *
 * @example
 * ```ts
 * for (const file of tnefData(winmailDat, 1000, 10 * 1024 * 1024)) read(file.bytes);
 * ```
 */
export function tnefData(bytes: Buffer, maxFiles: number, maxBodyBytes: number, depth = 0): TnefData[] {
  const files: TnefData[] = [];
  // The attachment being read: its title and its files, in any order (Outlook writes the data first).
  let title = '';
  let names: string[] = [];
  let current: TnefData[] = [];
  // A file of the message, not of the attachment being read.
  const own = (file: TnefData) => {
    if (files.length >= maxFiles) throw new Error(`winmail.dat holds more than ${maxFiles} files`);
    files.push(file);
  };
  const add = (file: TnefData) => {
    own(file);
    current.push(file);
  };
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
      names = [];
      current = [];
    } else if (id === ATT_ATTACH_TITLE) {
      title = data.toString('latin1').replace(/\0[\s\S]*$/, '');
      for (const file of current) file.name = title;
    } else if (id === ATT_ATTACH_DATA) {
      add(names.length > 0 ? { name: title, bytes: data, names } : { name: title, bytes: data });
    } else if (id === ATT_MSG_PROPS) {
      // The message's properties: its compressed RTF body (several: each read). Other binary values are among the
      // file's strings; an object (an attached message, an OLE storage) is read as a file is.
      const read = readTnefProperties(
        data,
        (stream) => {
          if (depth >= MAX_DEPTH)
            throw new Error(`winmail.dat: attached messages nest deeper than ${MAX_DEPTH}`);
          for (const file of tnefData(stream, Math.max(0, maxFiles - files.length), maxBodyBytes, depth + 1))
            own(file);
          return { names: [], sniffedTypes: [] };
        },
        (content) => own({ name: 'message object', bytes: content }),
        (property, value) => {
          if (property !== PR_RTF_COMPRESSED) return;
          let rtf: Buffer;
          try {
            rtf = lzfuDecompress(value, maxBodyBytes);
          } catch (error) {
            throw new Error(`winmail.dat: its RTF body: ${(error as Error).message}`);
          }
          own({ name: 'message body', bytes: rtf, body: 'rtf' });
        },
      );
      if (read.problem) throw new Error(`winmail.dat: its message properties: ${read.problem}`);
    } else if (id === ATT_ATTACHMENT) {
      const contents: Buffer[] = [];
      const nested: TnefData[] = [];
      const properties = readTnefProperties(
        data,
        (stream) => {
          if (depth >= MAX_DEPTH)
            throw new Error(`winmail.dat: attached messages nest deeper than ${MAX_DEPTH}`);
          nested.push(
            ...tnefData(
              stream,
              Math.max(0, maxFiles - files.length - nested.length),
              maxBodyBytes,
              depth + 1,
            ),
          );
          return { names: [], sniffedTypes: [] };
        },
        (content) => contents.push(content),
      );
      if (properties.problem) throw new Error(`winmail.dat: ${properties.problem}`);
      names = [...names, ...properties.names.filter((n) => n.trim() !== '')];
      for (const file of current) file.names = names;
      for (const content of contents) {
        // The same bytes as its attAttachData (Outlook may write both) are read once.
        if (current.some((file) => file.bytes.equals(content))) continue;
        add({ name: title, bytes: content, names });
        // A client may save it from byte 16, as an object after its interface id: read so too when that differs.
        const after = content.subarray(IID_BYTES);
        if (after.length > 0 && binaryReading(content.subarray(0, 4096)) === 'binary')
          add({ name: title, bytes: after, names });
      }
      // An attached message's files are its own attachments, not this one's.
      for (const file of nested) {
        if (files.length >= maxFiles) throw new Error(`winmail.dat holds more than ${maxFiles} files`);
        files.push(file);
      }
    }
    at = start + length + 2;
  }
  return files;
}
