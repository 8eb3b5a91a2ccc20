/**
 * The ustar magic and version, as a `fields` entry of {@link tarEntry} (a tar without it is pre-POSIX).
 *
 * @example
 * ```ts
 * tarEntry('a.txt', Buffer.from('hi'), '0', USTAR_MAGIC).toString('latin1', 257, 265); // 'ustar\u000000'
 * ```
 */
export const USTAR_MAGIC: Readonly<Record<number, string>> = { 257: 'ustar\u000000' };

/**
 * One tar entry: a 512-byte header (name, mode, size, `type`, any other `fields` written at their offsets,
 * checksum computed) and `data` padded to 512 bytes. Without {@link USTAR_MAGIC} in `fields` it is a
 * pre-POSIX (v7) header, which GNU tar and 7-Zip read all the same.
 *
 * @example
 * ```ts
 * const tar = tarArchive(tarEntry('invoice.exe', Buffer.from('MZ'), '0', USTAR_MAGIC));
 * ```
 */
export function tarEntry(
  name: string,
  data: Buffer,
  type = '0',
  fields: Readonly<Record<number, string>> = {},
): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write(type, 156, 'latin1');
  for (const [at, text] of Object.entries(fields)) header.write(text, Number(at), 'latin1');
  header.fill(0x20, 148, 156);
  const sum = header.reduce((n, b) => n + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/**
 * A tar archive of the given entries ({@link tarEntry}), ended by its two zero blocks.
 *
 * @example
 * ```ts
 * tarArchive(tarEntry('a.txt', Buffer.from('hello')), tarEntry('b.txt', Buffer.from('bye')));
 * ```
 */
export function tarArchive(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024)]);
}

/**
 * One pax record, `<length> <key>=<value>\n`, its length counting itself.
 *
 * @example
 * ```ts
 * paxRecord('path=Invoice.exe'); // '21 path=Invoice.exe\n'
 * ```
 */
export function paxRecord(keyValue: string): string {
  const n = keyValue.length + 2;
  return `${n + String(n + String(n).length).length} ${keyValue}\n`;
}

/**
 * A pax extended header entry (type `x`; `g` global, `X` Solaris) holding `records` as written: made with
 * {@link paxRecord}, or malformed on purpose.
 *
 * @example
 * ```ts
 * const tar = tarArchive(paxHeader(paxRecord('size=1024')), tarEntry('readme.txt', Buffer.alloc(0)));
 * ```
 */
export function paxHeader(records: string, type = 'x'): Buffer {
  return tarEntry('PaxHeader', Buffer.from(records, 'latin1'), type, USTAR_MAGIC);
}
