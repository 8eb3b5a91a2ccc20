import { compoundStreams } from '../mime/compound-file.js';

// PowerPoint 97-2003 (.ppt, .pps, .pot; MS-PPT) keeps a shape's or a text's action settings in an
// InteractiveInfoAtom (record type 0x0FF3), in a mouse-click or a mouse-over container: its `action` byte (after the
// 8-byte header and two 4-byte references) says what a click or a hover does. 1 runs a macro, 2 runs a program (the
// MacroNameAtom beside it names it), 5 performs an OLE verb on an embedded object (a package opens the file it holds,
// and a .ppt's embedded objects are not read here). Jumps, hyperlinks, media and custom shows are left alone, as a
// link is in a body (attacker round 53).
// The stream's name in the compound file's directory (UTF-16, compared without case, as MS-CFB compares names).
const PPT_NAME = /p\0o\0w\0e\0r\0p\0o\0i\0n\0t\0 \0d\0o\0c\0u\0m\0e\0n\0t\0/i;
const PPT_STREAM = 'POWERPOINT DOCUMENT';
const INTERACTIVE_INFO_ATOM = Buffer.from([0xf3, 0x0f]);
const ATOM_LENGTH = 16;
const ACTION_AT = 16;
const RUNNING: Readonly<Record<number, string>> = {
  1: 'runs a macro',
  2: 'runs a program',
  5: 'activates an embedded object',
};

// An encrypted show (MS-PPT 2.3.7, RC4 CryptoAPI; PowerPoint opens one encrypted with its built-in password
// "/01Hannes Ruescher/01" without asking) keeps its slide records as ciphertext: their actions cannot be read. It
// is known by any of: the CurrentUserAtom's headerToken 0xF3D1C4DF, an `EncryptedSummary` stream, or the
// CryptSession10Container (type 0x2F14) that PowerPoint reads the key's salt from, which stays in the clear. The
// container is found by its type and its EncryptionVersionInfo (major 2, 3 or 4, minor 2), whatever its recVer and
// recInstance, so a show that drops the two optional marks is still known.
const CURRENT_USER = 'CURRENT USER';
const ENCRYPTED_SUMMARY = 'ENCRYPTEDSUMMARY';
const ENCRYPTED_TOKEN = 0xf3d1c4df;
const CRYPT_SESSION = Buffer.from([0x14, 0x2f]);

/** What a PowerPoint 97-2003 compound file's slides show: the first action that runs something, or encryption. */
export interface BinarySlides {
  /** "runs a program", "runs a macro", "activates an embedded object". */
  action?: string;
  /** The slide records are encrypted: their actions are not known. */
  encrypted?: true;
}

/**
 * What the first slide action in a PowerPoint 97-2003 compound file that runs something does ("runs a program", "runs
 * a macro", "activates an embedded object"), or undefined when it has none or is no presentation. Throws when the
 * compound file of a presentation cannot be read: its actions are not known. Linear: each stream is read once, within
 * `maxBytes`.
 *
 * @example
 * ```ts
 * binarySlideAction(pps, 1 << 24); // 'runs a program'
 * ```
 */
export function binarySlideAction(data: Buffer, maxBytes: number): string | undefined {
  return binarySlides(data, maxBytes).action;
}

/**
 * The first running slide action of a PowerPoint 97-2003 compound file (see {@link binarySlideAction}), and whether
 * the show is encrypted (its records unread). Nothing for a file that is no presentation. Throws as
 * {@link binarySlideAction} does. Linear, within `maxBytes`.
 *
 * @example
 * ```ts
 * binarySlides(encryptedPps, 1 << 24); // { encrypted: true }
 * ```
 */
export function binarySlides(data: Buffer, maxBytes: number): BinarySlides {
  // Without the stream's name among its bytes, a file whose tables cannot be followed is no presentation.
  if (!PPT_NAME.test(data.toString('latin1'))) return {};
  const streams = compoundStreams(data, maxBytes);
  const named = (name: string) => streams.filter((s) => s.name.toUpperCase() === name);
  const documents = named(PPT_STREAM);
  if (documents.length === 0) return {};
  const encrypted =
    named(ENCRYPTED_SUMMARY).length > 0 ||
    named(CURRENT_USER).some((s) => {
      const user = s.bytes();
      return user.length >= 16 && user.readUInt32LE(12) === ENCRYPTED_TOKEN;
    });
  if (encrypted) return { encrypted: true };
  for (const stream of documents) {
    const records = stream.bytes();
    if (hasCryptSession(records)) return { encrypted: true };
    const action = interactiveAction(records);
    if (action) return { action };
  }
  return {};
}

// A CryptSession10Container header (type at +2, length at +4) framing an EncryptionVersionInfo of RC4 CryptoAPI.
function hasCryptSession(records: Buffer): boolean {
  for (let at = records.indexOf(CRYPT_SESSION, 2); at >= 2; at = records.indexOf(CRYPT_SESSION, at + 1)) {
    if (at + 10 > records.length) break;
    const length = records.readUInt32LE(at + 2);
    const major = records.readUInt16LE(at + 6);
    if (
      length >= 8 &&
      length <= records.length - at - 6 &&
      major >= 2 &&
      major <= 4 &&
      records.readUInt16LE(at + 8) === 2
    )
      return true;
  }
  return false;
}

/**
 * The first running action (see {@link binarySlideAction}) of an InteractiveInfoAtom among a "PowerPoint Document"
 * stream's bytes. Atoms are found by their header wherever they lie, not by walking the record tree: PowerPoint
 * reaches a slide by the offset its persist directory gives, so a walk from the start could be led past one. A header
 * is its type and a length of at least 16 bytes within the stream (its version and instance are not relied on).
 * Linear in the stream's size.
 */
export function interactiveAction(records: Buffer): string | undefined {
  for (
    let at = records.indexOf(INTERACTIVE_INFO_ATOM, 2);
    at >= 2;
    at = records.indexOf(INTERACTIVE_INFO_ATOM, at + 1)
  ) {
    const start = at - 2;
    if (start + ACTION_AT >= records.length) break;
    const length = records.readUInt32LE(at + 2);
    if (length < ATOM_LENGTH || length > records.length) continue;
    const action = RUNNING[records[start + ACTION_AT] as number];
    if (action) return action;
  }
  return undefined;
}
