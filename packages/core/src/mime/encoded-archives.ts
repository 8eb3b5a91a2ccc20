import { nameExtensions } from '../message/file-names.js';
import { carriedMessage } from './carried-message.js';
import { type EncodedFile, uueFileProblem } from './encoded-files.js';

// Files WinZip (and, for `.uue`, WinRAR) opens by their name as archives of the files they encode (the guard refuses
// them by extension): uuencoded (`.uue`, `.uu`: attacker round 106), XXencoded and base64 (`.b64`, `.mim`; a MIME
// message in one is walked as a message).
const ENCODED = new Set(['uue', 'uu', 'xxe', 'b64', 'mim']);
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;

/**
 * What a part named as an encoded archive (`cards.b64`, `cards.xxe`, `cards.uue`) holds as an archiver decodes it:
 * a plain base64 file's bytes, named by its stem; or why it is not read. Undefined for other names, and where the
 * text is read otherwise (a message, begin lines). Linear.
 *
 * @example
 * ```ts
 * encodedArchive(['cards.b64'], Buffer.from('UEsDB…')); // { files: [{ name: 'cards', bytes: <zip> }] }
 * ```
 */
export function encodedArchive(
  names: readonly string[],
  decoded: Buffer,
): { files: EncodedFile[] } | { problem: string } | undefined {
  const name = names.find((n) => nameExtensions(n).some((e) => ENCODED.has(e)));
  if (name === undefined) return undefined;
  const exts = nameExtensions(name);
  if (exts.includes('uue') || exts.includes('uu')) {
    const problem = uueFileProblem(decoded.toString('latin1'));
    return problem ? { problem } : undefined;
  }
  if (exts.includes('b64') || exts.includes('mim')) {
    if (carriedMessage(decoded)) return undefined;
    const text = decoded.toString('latin1');
    if (BASE64_TEXT.test(text))
      return {
        files: [{ name: name.replace(/\.(?:b64|mim)\s*$/i, ''), bytes: Buffer.from(text, 'base64') }],
      };
    // `begin-base64 644 cards.zip` … `====`: read as the text's encoded files are.
    if (!uueFileProblem(text)) return undefined;
  }
  return {
    problem: `a file named as encoded (${name.slice(0, 80)}), which archivers decode, is not decoded`,
  };
}
