import { headerParams, partNaming } from './part-names.js';

// A message/external-body part (RFC 2046 5.2.3) stands for a file fetched from elsewhere: its URL (or its
// anon-ftp `name`), and the "phantom" header block its body starts with, name the file a client offers.

const MAX_HEAD = 8192;

/**
 * The file names an external-body part gives: the last path segment of its `url` parameter and the names
 * in the phantom header block at the start of its body (`head`: its first decoded bytes).
 *
 * @example
 * ```ts
 * externalBodyNames('message/external-body; access-type=URL; URL="https://h/x.vbs"', Buffer.from(''));
 * // ['x.vbs']
 * ```
 */
export function externalBodyNames(rawType: string, head: Buffer): string[] {
  const names: string[] = [];
  for (const p of headerParams(rawType)) {
    if (p.key !== 'url') continue;
    const path = p.value.replace(/\s+/g, '').replace(/[?#][\s\S]*$/, '');
    const segment = path.slice(path.lastIndexOf('/') + 1);
    if (segment !== '') names.push(segment);
  }
  const text = head.subarray(0, MAX_HEAD).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const fields = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/);
  const value = (name: string) =>
    fields.filter((f) => f.toLowerCase().startsWith(`${name}:`)).map((f) => f.slice(name.length + 1).trim());
  const phantom = partNaming(value('content-type'), value('content-disposition'), value('content-name'));
  return [...names, ...phantom.names];
}
