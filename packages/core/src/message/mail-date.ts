// Longer values are not dates a mailer wrote; the cap keeps the match bounded whatever the header holds.
const MAX_DATE_LENGTH = 200;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 5322 §4.3's obsolete zones; every other letter zone (military, CET, …) counts as -0000, that is UTC.
const NAMED_ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  gmt: 0,
  utc: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
};
// [day-of-week ","] day month year hour ":" minute [":" second] [zone]; "-" between the date's parts as some
// mailers write it, two- or three-digit years (RFC 5322 obs-year), a numeric zone followed by its name.
const RFC_DATE =
  /^(?:[a-z]{3,9}\s*,?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?(?:\s*([+-]\d{4})(?:\s+[a-z]{1,5})?|\s*([a-z]{1,5}))?$/i;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The time a `Date:` header or a `Received:` stamp names, in ms since the epoch, read the same on every machine:
 * RFC 5322 dates (with their obsolete forms: two-digit years, named zones) and ISO 8601 date-times. A date
 * without a zone, or with a zone RFC 5322 does not define, is read as UTC (its "-0000": the sender's local
 * time is unknown), never as the local time of the machine that reads it. Anything else — no date, an
 * impossible date such as 31 February, text around the date — answers undefined rather than a guess.
 *
 * @example
 * ```ts
 * parseMailDate('Tue, 1 Dec 2026 02:36:56 -0800 (PST)'); // Date.UTC(2026, 11, 1, 10, 36, 56)
 * parseMailDate('1 Dec 2026 02:36');                      // Date.UTC(2026, 11, 1, 2, 36): no zone, UTC
 * parseMailDate('garbage +0000');                         // undefined
 * ```
 */
export function parseMailDate(value: string): number | undefined {
  if (value.length > 4 * MAX_DATE_LENGTH) return undefined;
  const text = withoutComments(value).replace(/\s+/g, ' ').trim();
  if (text.length > MAX_DATE_LENGTH) return undefined;
  const rfc = RFC_DATE.exec(text);
  if (rfc) {
    const [, day, monthName, yearText, hour, minute, second, numericZone, namedZone] = rfc;
    const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
    const offset = zoneMinutes(numericZone ?? namedZone);
    if (month < 0 || offset === undefined) return undefined;
    return utc(
      fullYear(yearText ?? ''),
      month,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second ?? 0),
      offset,
    );
  }
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, zone] = iso;
    const offset = zoneMinutes(zone?.replace(':', ''));
    if (offset === undefined) return undefined;
    return utc(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second ?? 0),
      offset,
    );
  }
  return undefined;
}

// Comments (CFWS) may stand anywhere: `… (EDT) -0400`, `-0500 (CDT) (envelope-from x)`. Innermost first, a few
// levels deep; a value still holding a parenthesis after that is no date. Linear: no pattern here backtracks.
function withoutComments(text: string): string {
  let out = text;
  for (let level = 0; level < 3 && out.includes('('); level++) out = out.replace(/\([^()]*\)/g, ' ');
  return out.includes('(') || out.includes(')') ? '' : out;
}

// RFC 5322 obs-year: 00–49 are 2000–2049, 50–99 and three digits count from 1900.
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  return text.length === 3 ? 1900 + year : year;
}

/** The zone's offset east of UTC in minutes; 0 for none or an unknown name; undefined for a bad number. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[3]);
    if (minutes > 59) return undefined;
    return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + minutes);
  }
  if (/^[+-]/.test(zone)) return undefined;
  return (NAMED_ZONES[zone.toLowerCase()] ?? 0) * 60;
}

function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number,
): number | undefined {
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  // A leap second is read as the second before it; Date has none.
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  const check = new Date(t);
  // Date.UTC rolls 31 February over to March: a day the month does not have is no date.
  if (year < 100 || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return t - offsetMinutes * 60_000;
}
