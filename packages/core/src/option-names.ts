import { ConfigError } from './errors.js';

/**
 * Refuses an option a rule or flow does not know, with a {@link ConfigError} naming the nearest known one: a
 * misspelt `verdcit` or `auditt` in options built at run time (read from a file, spread from settings, written in
 * JavaScript), which the type-checker does not see, would otherwise leave the default in force, silently. `names`
 * lists every option (its type makes the list complete). For your own rule factories as for wmflow's.
 *
 * @example
 * ```ts
 * export function holdFor(options: { minutes: number; name?: string }): Rule {
 *   checkOptionNames('holdFor', options, { minutes: true, name: true });
 *   // holdFor({ minutse: 5 }) throws: invalid configuration holdFor.minutse: … (did you mean minutes?)
 * }
 * ```
 */
export function checkOptionNames<T extends object>(
  rule: string,
  options: T | undefined,
  names: Record<keyof T, true>,
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ConfigError(
      rule,
      `${rule}() takes an object of options, not ${Array.isArray(options) ? 'a list' : String(options)}`,
    );
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(names, name)) continue;
    const near = nearestName(name, Object.keys(names));
    throw new ConfigError(
      `${rule}.${name}`,
      `${rule}() has no option ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}`,
    );
  }
}

/**
 * The name of `known` a mistyped `name` most likely meant: at most two edits away (a letter missed, added, changed
 * or two swapped), or differing in case only; the nearest, the first of equals. What `checkOptionNames` and the
 * `wmflow` command line suggest (`did you mean …?`).
 *
 * @example
 * ```ts
 * nearestName('verdcit', ['verdict', 'audit']); // 'verdict'
 * nearestName('repaly', ['serve', 'replay']); // 'replay'
 * ```
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : distance(name.slice(0, 64), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

// Levenshtein distance with adjacent transpositions, for names of a few dozen characters.
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
