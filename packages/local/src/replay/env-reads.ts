import { nearestName } from '@wmflow/core';

/** A variable the user gave replay (`--env-file`, `--env`), and where. */
export interface GivenVariable {
  readonly name: string;
  /** `env.json` (the file as given) or `--env`. */
  readonly from: string;
}

/**
 * Runs `load` with `process.env` watched, and adds to `read` every variable name it looks up (a property read or an
 * `in`). Only the import is watched: esbuild and child processes copy the whole environment, which would count every
 * name as read. A module that enumerates the environment marks every name read, so nothing is said of it.
 *
 * @example
 * ```ts
 * const read = new Set<string>();
 * await watchingEnvReads(read, () => import('./handler.mjs'));
 * ```
 */
export async function watchingEnvReads<T>(read: Set<string>, load: () => Promise<T>): Promise<T> {
  const env = process.env;
  const note = (key: string | symbol) => {
    if (typeof key === 'string') read.add(key);
  };
  process.env = new Proxy(env, {
    get(target, key) {
      note(key);
      return Reflect.get(target, key);
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      note(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
  });
  try {
    return await load();
  } finally {
    // A module that kept the proxy still reads and writes the environment through it.
    if (process.env !== env) process.env = env;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One line per given variable that the handler did not read as it loaded while it read one of a near name it was not
 * given (newcomer round 10: `JOURNAL_BUKET` in an env file was passed on unremarked, and the handler failed to load
 * for the `JOURNAL_BUCKET` it lacked). `state` says what the variable read was (not set, a local default…).
 *
 * @example
 * ```ts
 * misspeltSettings([{ name: 'JOURNAL_BUKET', from: 'env.json' }], new Set(['JOURNAL_BUCKET']), 'handler', () => 'not set');
 * // ['JOURNAL_BUKET (from env.json) was not read as the handler loaded; it read JOURNAL_BUCKET, which is not set: misspelt?']
 * ```
 */
export function misspeltSettings(
  given: readonly GivenVariable[],
  read: ReadonlySet<string>,
  what: 'handler' | 'function',
  state: (name: string) => string,
): string[] {
  const givenNames = new Set(given.map((g) => g.name));
  const candidates = [...read].filter((n) => NAME.test(n) && !givenNames.has(n));
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const { name, from } of [...given].reverse()) {
    if (seen.has(name)) continue;
    seen.add(name);
    // A short name is two edits from too many others to say it meant one.
    if (read.has(name) || name.length < 5 || !NAME.test(name)) continue;
    const near = nearestName(name, candidates);
    if (near === undefined) continue;
    lines.unshift(
      `${name} (from ${from}) was not read as the ${what} loaded; it read ${near}, which ${state(near)}: misspelt?`,
    );
  }
  return lines;
}
