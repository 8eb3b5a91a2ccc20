// Titles a reader takes apart from a name glued to them in the same case (`Jane Doeceo`, `drjane doe`, `ceojanedoe`:
// attacker round 66), where no change of case shows the join. Honorifics and roles are written before a name, roles
// and degrees after it; beginnings and endings that are also common in names are left out (`-ms` of Adams, `-it` of
// Ronit, `-cio` of Lucio, `-san` of Hassan, `coo-` of Cooper, `pres-` of Presley), so an ordinary name is not read as
// a title glued to a protected one.
export const TITLES_BEFORE = [
  'mr',
  'mrs',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'ceo',
  'cfo',
  'cto',
  'ciso',
  'cmo',
  'chro',
  'vp',
  'svp',
  'evp',
  'hr',
  'president',
  'director',
  'chairman',
  'founder',
  'finance',
  'accounts',
  'payroll',
  'admin',
];
export const TITLES_AFTER = [
  'ceo',
  'cfo',
  'coo',
  'cto',
  'ciso',
  'cmo',
  'chro',
  'vp',
  'svp',
  'evp',
  'md',
  'phd',
  'esq',
  'jr',
  'sr',
  'hr',
  'cpa',
  'mba',
  'pres',
  'president',
  'director',
  'chair',
  'chairman',
  'founder',
  'finance',
  'accounts',
  'payroll',
  'admin',
  'office',
  'team',
  'assistant',
  'exec',
];

/**
 * The word without one title glued before it and one after it (titles given as reduced words), each only when a
 * word of at least two letters is left. Constant work per word: the title lists are fixed.
 */
export function withoutTitles(
  word: string,
  titles: { before: readonly string[]; after: readonly string[] },
): string {
  let w = word;
  const before = titles.before.find((t) => w.length >= t.length + 2 && w.startsWith(t));
  if (before) w = w.slice(before.length);
  const after = titles.after.find((t) => w.length >= t.length + 2 && w.endsWith(t));
  if (after) w = w.slice(0, w.length - after.length);
  return w;
}
