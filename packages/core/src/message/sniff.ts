const SIGNATURES: ReadonlyArray<[type: string, offset: number, bytes: readonly number[]]> = [
  ['application/x-msdownload', 0, [0x4d, 0x5a]], // MZ: Windows executable
  ['application/x-elf', 0, [0x7f, 0x45, 0x4c, 0x46]],
  // Mach-O (macOS): 32- and 64-bit, either byte order. Universal binaries are told from Java classes below.
  ['application/x-mach-binary', 0, [0xfe, 0xed, 0xfa, 0xce]],
  ['application/x-mach-binary', 0, [0xfe, 0xed, 0xfa, 0xcf]],
  ['application/x-mach-binary', 0, [0xce, 0xfa, 0xed, 0xfe]],
  ['application/x-mach-binary', 0, [0xcf, 0xfa, 0xed, 0xfe]],
  ['application/x-ole-storage', 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]], // legacy Office, MSI
  ['application/zip', 0, [0x50, 0x4b, 0x03, 0x04]], // also docx/xlsx/jar
  ['application/x-rar-compressed', 0, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['application/x-7z-compressed', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['application/gzip', 0, [0x1f, 0x8b]],
  ['application/x-iso9660-image', 0x8001, [0x43, 0x44, 0x30, 0x30, 0x31]],
  ['application/pdf', 0, [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/png', 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', 0, [0xff, 0xd8, 0xff]],
  ['image/gif', 0, [0x47, 0x49, 0x46, 0x38]],
];

/** Bytes of a file's start that {@link sniffType} looks at. */
export const SNIFF_BYTES = 0x8006;

/**
 * The content type a file's first bytes reveal, for the common executable,
 * archive, document and image formats; undefined when none matches.
 *
 * @example
 * ```ts
 * sniffType(Buffer.from('MZ\x90\x00')); // "application/x-msdownload"
 * ```
 */
export function sniffType(head: Buffer): string | undefined {
  for (const [type, offset, bytes] of SIGNATURES) {
    if (bytes.every((b, i) => head[offset + i] === b)) return type;
  }
  return universalBinary(head) ? 'application/x-mach-binary' : undefined;
}

// A universal (fat) Mach-O starts CAFEBABE (or CAFEBABF) and a count of architectures; a Java class file starts
// CAFEBABE too, then its version (major 45 or more), then its constant pool's size and first tag.
function universalBinary(head: Buffer): boolean {
  if (head.length < 8 || head.readUInt32BE(0) !== 0xcafebabe + (head[3] === 0xbf ? 1 : 0)) return false;
  const count = head.readUInt32BE(4);
  if (count >= 1 && count < 45) return true;
  // More architectures than a Java version number: the first one's CPU type, which no class file starts with.
  if (count >= 4096 || head.length < 12) return false;
  // A CPU type is a small number, with the 64-bit ABI flags above it; a class file's constant pool count and
  // first tag there read as 0x10000 or more in the low 24 bits.
  const cpu = head.readUInt32BE(8);
  return (cpu & 0xffffff) >= 1 && (cpu & 0xffffff) < 0x100 && cpu >>> 24 <= 2;
}
