// Code pages whose bytes 0x00-0x7f are ASCII: a name in them reads, as 8-bit, with the same dots and letters.
// Windows and DOS single-byte pages, ISO-8859, KOI8, Mac, US-ASCII, UTF-8, and the East Asian double-byte
// pages (their second bytes can look like ASCII, which hides a letter from a client, never adds one).
const ASCII_PAGES: ReadonlyArray<readonly [number, number]> = [
  [0, 0], // none declared: the default
  [437, 437],
  [708, 720],
  [737, 737],
  [775, 775],
  [850, 869],
  [874, 874],
  [932, 932],
  [936, 936],
  [949, 950],
  [1250, 1258],
  [1361, 1361],
  [10000, 10082],
  [20127, 20127],
  [20866, 20866],
  [21866, 21866],
  [28591, 28606],
  [38598, 38598],
  [51932, 51949],
  [54936, 54936],
  [65001, 65001],
];

/**
 * Whether names written in a TNEF stream's 8-bit code page (`attOemCodepage`) read the same as 8-bit text:
 * false for pages that spell ASCII otherwise (UTF-7, UTF-16, EBCDIC, ISO-2022, HZ…), where a client that
 * decodes them (Exchange, MimeKit) shows a name the walk cannot see.
 *
 * @example
 * ```ts
 * asciiCodePage(1252); // true
 * asciiCodePage(65000); // false: UTF-7 spells "a.exe" as "a+AC4-exe"
 * ```
 */
export function asciiCodePage(codePage: number): boolean {
  return ASCII_PAGES.some(([from, to]) => codePage >= from && codePage <= to);
}
