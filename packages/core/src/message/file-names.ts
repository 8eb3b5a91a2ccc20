// biome-ignore lint/suspicious/noControlCharactersInRegex: control and format characters hide the real extension
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A file name as a file system or client would store it: control and invisible format characters dropped,
 * an NTFS stream suffix (`::$DATA`) cut, trailing dots and spaces removed.
 *
 * @example
 * ```ts
 * normalizeFileName('a.vbs::$DATA'); // 'a.vbs'
 * normalizeFileName('a.v\u007fbs. '); // 'a.vbs'
 * ```
 */
export function normalizeFileName(name: string): string {
  let out = name.replace(INVISIBLE, '');

  // Loops, not `/[. ]+$/`: an anchored run pattern backtracks quadratically on a long run that does not end the name.
  let end = out.length;
  for (;;) {
    while (end > 0 && (out[end - 1] === '.' || out[end - 1] === ' ')) end--;
    if (out.slice(Math.max(0, end - 6), end).toLowerCase() !== ':$data') break;
    end -= 6;
    while (end > 0 && out[end - 1] === ':') end--;
  }
  out = out.slice(0, end);
  return out;
}

/**
 * The spellings of a name to check: the normalized name and, when it holds colons (an NTFS alternate
 * stream such as `a.vbs:x:$DATA`, or a client replacing the colon), each colon-separated piece too.
 */
export function nameVariants(name: string): string[] {
  const clean = normalizeFileName(name);
  if (!clean.includes(':')) return [clean];
  return [
    clean,
    ...clean
      .split(':')
      .map(normalizeFileName)
      .filter((p) => p !== ''),
  ];
}
