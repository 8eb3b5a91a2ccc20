import { inflateRawSync } from 'node:zlib';

// Office Open XML (.docx, .xlsx, .pptx) and OpenDocument files are zip archives of XML parts: their text
// is in those parts. Read with a bounded central-directory walk and node's inflate (no dependency); what
// cannot be read is an error, so the caller can report the document as unread.

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const OFFICE_EXTENSIONS = new Set('docx docm dotx xlsx xlsm xltx pptx pptm potx ppsx odt ods odp'.split(' '));

/** Whether a part is an Office Open XML or OpenDocument file, by declared type or file extension. */
export function isOfficeDocument(contentType: string, ext: string): boolean {
  return (
    OFFICE_EXTENSIONS.has(ext) ||
    contentType.startsWith('application/vnd.openxmlformats-officedocument.') ||
    contentType.startsWith('application/vnd.oasis.opendocument.') ||
    /^application\/vnd\.ms-(?:word|excel|powerpoint)\.[a-z.]*macroenabled/.test(contentType)
  );
}

/**
 * The XML parts of an Office Open XML or OpenDocument file (markup, for a text reader that drops tags),
 * inflating at most `maxBytes` in all. Throws when it cannot read them all: not a zip, zip64, an
 * encrypted or unknown-method entry, a truncated archive, or more than `maxBytes`.
 *
 * @example
 * ```ts
 * for (const xml of officeXml(docx, 50 * 1024 * 1024)) console.log(htmlToText(xml));
 * ```
 */
export function officeXml(zip: Buffer, maxBytes: number): string[] {
  const end = endRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error('zip64 archives are not read');
  if (offset + size > zip.length) throw new Error('central directory past the end of the file');
  const out: string[] = [];
  let total = 0;
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new Error('bad central directory');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    if (!/\.xml$/i.test(name)) continue;
    if (flags & 1) throw new Error(`${name} is encrypted`);
    const bytes = entryBytes(zip, local, compressed, method, maxBytes - total, name);
    total += bytes.length;
    out.push(bytes.toString('utf8'));
  }
  return out;
}

function endRecord(zip: Buffer): number {
  // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
  const last = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= last; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new Error('not a zip archive');
}

function entryBytes(
  zip: Buffer,
  local: number,
  compressed: number,
  method: number,
  budget: number,
  name: string,
) {
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
    throw new Error(`${name}: bad local header`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  if (start + compressed > zip.length) throw new Error(`${name}: truncated`);
  const data = zip.subarray(start, start + compressed);
  if (method === 0) {
    if (data.length > budget) throw new Error(`over the decoded bytes budget at ${name}`);
    return data;
  }
  if (method !== 8) throw new Error(`${name}: compression method ${method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    throw new Error(
      `${name}: ${error instanceof RangeError ? 'over the decoded bytes budget' : (error as Error).message}`,
    );
  }
}
