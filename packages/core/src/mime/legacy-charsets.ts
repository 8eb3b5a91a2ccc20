import charsets from 'libmime/lib/charset';

// What a file's bytes say when they are not UTF-8 and carry no byte order mark: the recipient's editor or
// spreadsheet does not read a MIME label (an attachment seldom has one), it falls back to the system's code page.
// A Western European Windows reads Windows-1252 (a non-breaking space 0xA0, an en dash 0x96 between a card's
// groups); a Japanese, Chinese or Korean one a double-byte code page, in which a digit typed with the IME on is a
// full-width digit of two bytes that no single-byte reading shows as a digit (attacker round 63).

// A full-width digit in each double-byte code page, as its lead byte and the range of its trail byte: Shift_JIS
// 82 4F–58; EUC-JP, GB 2312/GBK and EUC-KR A3 B0–B9 (one row of the same national standard's layout); Big5 A2 AF–B8.
const DOUBLE_BYTE: readonly { lead: number; from: number; to: number; pages: readonly string[] }[] = [
  { lead: 0x82, from: 0x4f, to: 0x58, pages: ['shift_jis'] },
  { lead: 0xa3, from: 0xb0, to: 0xb9, pages: ['euc-jp', 'gbk', 'euc-kr'] },
  { lead: 0xa2, from: 0xaf, to: 0xb8, pages: ['big5'] },
];
// ISO-2022-JP shifts into JIS X 0208 (ESC $ B, or ESC $ @ for its 1978 edition).
const JIS_SHIFTS = [Buffer.from('1b2442', 'hex'), Buffer.from('1b2440', 'hex')];

/**
 * The readings of text bytes that are not UTF-8 in the code pages a recipient's application falls back to:
 * Windows-1252 when they hold a byte above ASCII, each double-byte code page one of whose full-width digits appears
 * in them, and ISO-2022-JP when they shift into JIS X 0208. One pass to choose, then one decoding each (at most
 * six), so the work is linear in their length.
 *
 * @example
 * ```ts
 * legacyReadings(Buffer.from('4111\xa01111', 'latin1')); // ['4111\u00a01111']
 * ```
 */
export function legacyReadings(bytes: Buffer): string[] {
  const { high, runs, jis } = scan(bytes);
  const readings: string[] = [];
  if (high) readings.push(charsets.decode(bytes, 'windows-1252'));
  DOUBLE_BYTE.forEach(({ pages }, k) => {
    if ((runs[k] as number) >= 1) for (const page of pages) readings.push(charsets.decode(bytes, page));
  });
  if (jis) readings.push(charsets.decode(bytes, 'iso-2022-jp'));
  return readings;
}

/**
 * The readings of a binary file's 8-bit strings (an ANSI Outlook `.msg`'s `PT_STRING8` body, a legacy document's
 * text) in each double-byte code page four of whose full-width digits stand in a row in it (a card's group; one pair
 * alone turns up in any binary), or one of whose full-width digits stands in a run of digits of either width long
 * enough for a card (`４1１1 1１1１ …`: attacker round 66): none for most files. Linear in their length.
 *
 * @example
 * ```ts
 * doubleByteReadings(iconv.encode('４１１１', 'shift_jis')); // ['４１１１']
 * ```
 */
export function doubleByteReadings(bytes: Buffer): string[] {
  const { runs } = scan(bytes);
  const readings: string[] = [];
  DOUBLE_BYTE.forEach((page, k) => {
    if ((runs[k] as number) >= 4 || inCardRun(bytes, page))
      for (const name of page.pages) readings.push(charsets.decode(bytes, name));
  });
  return readings;
}

// Digits a card has at least (less one: a run's first digit may be cut off by a lead byte read as a trail), and
// the most bytes between two of its digits (separators: spaces, dashes, a full-width space).
const CARD_RUN = 12;
const MAX_GAP = 6;

// Whether one of the code page's full-width digits stands in a run of CARD_RUN digits of either width, each at most
// MAX_GAP bytes from the next. Each byte is walked forward once (the search resumes after a run), and backward
// only down to where the last walk ended: linear.
function inCardRun(bytes: Buffer, { lead, from, to }: (typeof DOUBLE_BYTE)[number]): boolean {
  const fullWidth = (i: number) =>
    bytes[i] === lead && (bytes[i + 1] ?? 0) >= from && (bytes[i + 1] ?? 0) <= to;
  const ascii = (i: number) => (bytes[i] ?? 0) >= 0x30 && (bytes[i] ?? 0) <= 0x39;
  let walked = 0;
  for (let i = bytes.indexOf(lead); i >= 0; i = bytes.indexOf(lead, Math.max(i + 1, walked))) {
    if (!fullWidth(i)) continue;
    let count = 1;
    // Backward: the digits before it, each within MAX_GAP bytes of the one after.
    for (let j = i - 1, last = i; j >= walked && last - j <= MAX_GAP + 1 && count < CARD_RUN; j--) {
      if (j >= 1 && j - 1 >= walked && fullWidth(j - 1)) {
        count++;
        last = --j;
      } else if (ascii(j)) {
        count++;
        last = j;
      }
    }
    // Forward: the digits after it.
    let end = i + 2;
    for (let j = end; j < bytes.length && j - end <= MAX_GAP && count < CARD_RUN; ) {
      if (fullWidth(j)) {
        count++;
        j += 2;
        end = j;
      } else if (ascii(j)) {
        count++;
        j++;
        end = j;
      } else j++;
    }
    if (count >= CARD_RUN) return true;
    walked = end;
  }
  return false;
}

// Whether a byte is above ASCII, the longest run of each code page's full-width digits (its lead bytes found by the
// native search), and whether the bytes shift into JIS X 0208: linear.
function scan(bytes: Buffer): { high: boolean; runs: number[]; jis: boolean } {
  let high = false;
  for (let i = 0; i < bytes.length && !high; i++) high = (bytes[i] as number) >= 0x80;
  const runs = DOUBLE_BYTE.map(({ lead, from, to }) => {
    let longest = 0;
    let run = 0;
    let next = -1;
    for (let i = bytes.indexOf(lead); i >= 0; i = bytes.indexOf(lead, i + 1)) {
      const trail = bytes[i + 1] ?? 0;
      if (trail < from || trail > to) continue;
      run = next === i ? run + 1 : 1;
      next = i + 2;
      if (run > longest) longest = run;
    }
    return longest;
  });
  const jis = JIS_SHIFTS.some((shift) => bytes.includes(shift));
  return { high, runs, jis };
}
