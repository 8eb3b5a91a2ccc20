/**
 * The UTC days (`yyyy/mm/dd`, as the journal's default key spells them) from `before` to `after`: an
 * invocation run between the two is dated by one of them, whatever day the tests run on.
 */
export function utcDaysBetween(before: Date, after: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth(), before.getUTCDate()));
  while (day.getTime() <= after.getTime()) {
    const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(day.getUTCDate()).padStart(2, '0');
    days.push(`${day.getUTCFullYear()}/${mm}/${dd}`);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}
