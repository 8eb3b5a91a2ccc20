import { eachZipEntry } from '../mime/zip-entries.js';
import { xmlAttributes, xmlText } from './xml-document.js';

// An OpenDocument file saved with a password (LibreOffice "Save with password") is an ordinary zip: no entry carries
// the zip encryption flag, and each stream but `mimetype` and the manifest is AES (or Blowfish) ciphertext of its
// deflated XML. Only `META-INF/manifest.xml`, in the clear, says so: a `<manifest:encryption-data>` in each
// encrypted entry's `<manifest:file-entry>` (an OpenPGP-encrypted one also lists `keyinfo`/`encrypted-key`). Its
// content.xml, styles.xml, macros and objects are then not known. Nothing is decrypted. The manifest is read as XML
// (comments, CDATA and processing instructions skipped, any prefix, attribute references decoded), one pass. A Flat
// ODF (one XML file) has no manifest and no encryption: the format defines encryption for packages only.
const MANIFEST = 'meta-inf/manifest.xml';
const ENCRYPTION_ELEMENTS = new Set(['encryption-data', 'keyinfo', 'encrypted-key']);

/** The manifest of a zip could not be read: whether it is an encrypted OpenDocument file is not known. */
export class ManifestError extends Error {
  constructor(cause: unknown) {
    super(`its OpenDocument manifest cannot be read (${(cause as Error).message})`);
    this.name = 'ManifestError';
  }
}

/** Whether a zip entry's name is the OpenDocument manifest's (case, `\\` and `.` segments not minded). */
export function isOdfManifestName(name: string): boolean {
  return (
    name
      .split(/[\\/]/)
      .filter((s) => s !== '' && s !== '.')
      .join('/')
      .toLowerCase() === MANIFEST
  );
}

/**
 * The entries of the zip `zip` that its OpenDocument manifest declares encrypted (their `full-path`, each once; the
 * manifest's own name for encryption declared outside a file entry, or for a manifest that is itself
 * zip-encrypted): none for a zip with no manifest or no encryption. Throws when the zip cannot be read, and a
 * {@link ManifestError} when its manifest cannot: whether it is encrypted is not known. Bounded: the manifest is inflated within `maxBytes`, read once.
 *
 * @example
 * ```ts
 * encryptedOdfEntries(passwordProtectedOds, 1 << 24); // ['content.xml', 'styles.xml', 'meta.xml']
 * ```
 */
export function encryptedOdfEntries(zip: Buffer, maxBytes: number): string[] {
  const found = new Set<string>();
  eachZipEntry(zip, maxBytes, (entry) => {
    const name = [entry.name, entry.unicodeName ?? ''].find(isOdfManifestName);
    if (name === undefined) return;
    let manifest: Buffer;
    try {
      manifest = entry.bytes();
    } catch (error) {
      if ((error as Error).message !== `${entry.name} is encrypted`) throw new ManifestError(error);
      found.add(name);
      return;
    }
    try {
      readableCharset(manifest);
      for (const path of manifestEncryptedPaths(xmlText(manifest), name)) found.add(path);
    } catch (error) {
      throw new ManifestError(error);
    }
  });
  return [...found];
}

// Charsets in which a manifest's ASCII bytes read as ASCII, as the UTF-8 reading here reads them.
const ASCII_READ = /^(?:utf-?8|us-ascii|ascii|iso[-_]?8859-\d{1,2}|latin-?1|windows-125\d|cp125\d)$/i;

// LibreOffice's SAX wrapper (sax/source/expatwrap/xml2utf.cxx) takes the `encoding` of an XML declaration at the very
// start (`<?xm`, its first line, the first quote of either kind) and converts the bytes from that charset before
// expat reads them: in UTF-7 `+ADw-` is `<`, in ISO-2022-JP an escape inside a name vanishes (attacker round 58).
// A manifest declared in a charset that may read ASCII otherwise is not read here: throws.
function readableCharset(manifest: Buffer): void {
  if (manifest.subarray(0, 4).toString('latin1') !== '<?xm') return;
  const lf = manifest.indexOf(0x0a);
  const line = manifest.subarray(0, lf < 0 ? manifest.length : lf).toString('latin1');
  const at = line.indexOf(' encoding');
  if (at < 0) return;
  const charset = /(["'])(.*?)\1/.exec(line.slice(at))?.[2];
  if (charset !== undefined && charset !== '' && !ASCII_READ.test(charset))
    throw new Error(`a manifest declared in the charset ${JSON.stringify(charset)}, not read here`);
}

/**
 * The `full-path` of each file entry of a manifest's XML that holds an encryption element (`encryption-data`,
 * `keyinfo`, `encrypted-key`, of any prefix); `outside` for one outside a file entry. Linear. Throws on a document
 * type that declares entities: what they expand to is not read here.
 *
 * @example
 * ```ts
 * manifestEncryptedPaths('<m:file-entry m:full-path="content.xml"><m:encryption-data/></m:file-entry>', 'm');
 * // ['content.xml']
 * ```
 */
export function manifestEncryptedPaths(xml: string, outside: string): string[] {
  const found = new Set<string>();
  let entry: string | undefined;
  let at = xml.indexOf('<');
  while (at >= 0 && at < xml.length) {
    let next: number;
    if (xml.startsWith('<!--', at)) next = skipPast(xml, '-->', at + 4);
    else if (xml.startsWith('<![CDATA[', at)) next = skipPast(xml, ']]>', at + 9);
    else if (xml.startsWith('<?', at)) next = skipPast(xml, '?>', at + 2);
    else if (xml.startsWith('<!', at)) next = doctypeEnd(xml, at);
    else {
      const end = tagEnd(xml, at + 1);
      const tag = xml.slice(at + 1, end);
      next = end + 1;
      const closing = tag.startsWith('/');
      const qualified = (closing ? tag.slice(1) : tag).match(/^[^\s/>]*/)?.[0] ?? '';
      const local = qualified.slice(qualified.lastIndexOf(':') + 1).toLowerCase();
      if (local === 'file-entry') {
        if (closing) entry = undefined;
        else if (!tag.endsWith('/')) entry = fullPath(tag.slice(qualified.length)) ?? outside;
      } else if (!closing && ENCRYPTION_ELEMENTS.has(local)) found.add(entry ?? outside);
    }
    at = xml.indexOf('<', next);
  }
  return [...found];
}

function skipPast(xml: string, close: string, from: number): number {
  const end = xml.indexOf(close, from);
  return end < 0 ? xml.length : end + close.length;
}

// A tag's closing `>`, quoted attribute values (which may hold `>`) stepped over.
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return xml.length;
}

// A `<!DOCTYPE … [ … ]>` declaration's end; its internal subset may declare entities that expand to elements.
function doctypeEnd(xml: string, at: number): number {
  const bracket = xml.indexOf('[', at);
  const close = xml.indexOf('>', at);
  if (close < 0) return xml.length;
  if (bracket < 0 || bracket > close) return close + 1;
  const end = xml.indexOf(']', bracket);
  const subset = xml.slice(bracket, end < 0 ? xml.length : end);
  if (/<!ENTITY/i.test(subset)) throw new Error('a manifest whose document type declares entities');
  return end < 0 ? xml.length : skipPast(xml, '>', end);
}

function fullPath(attributes: string): string | undefined {
  for (const [key, value] of xmlAttributes(attributes))
    if (/^(?:[^:]+:)?full-path$/.test(key) && value !== '') return value;
  return undefined;
}
