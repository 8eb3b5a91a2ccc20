import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The path a Windows-style spelling of it means where `\` is no folder separator (newcomer round 8): `src\handler.ts`
 * copied from a Windows terminal is `src/handler.ts` on macOS and Linux. Answers it only when that file or folder
 * exists; on Windows the spelling itself resolves, and this is not asked.
 *
 * @example
 * ```ts
 * slashSpelling('samples\\eml\\01-plain-text.eml'); // 'samples/eml/01-plain-text.eml'
 * ```
 */
export function slashSpelling(path: string): string | undefined {
  if (!path.includes('\\')) return undefined;
  const posix = path.replaceAll('\\', '/');
  return existsSync(resolve(posix)) ? posix : undefined;
}

/**
 * The module a missing handler path most likely meant: the `/` spelling of a Windows-style path (newcomer round 8),
 * the `.ts` of the `.js` a TypeScript import names (`src/handler.js` → `src/handler.ts`), or a path given without its
 * extension (newcomer round 6).
 *
 * @example
 * ```ts
 * nearModule('src/handler.js'); // 'src/handler.ts', when it exists
 * ```
 */
export function nearModule(file: string): string | undefined {
  const slashed = slashSpelling(file);
  const spelt = slashed ?? file;
  const stem = /\.[cm]?js$/.test(spelt) ? spelt.replace(/\.([cm]?)js$/, '.$1ts') : undefined;
  const candidates = [
    ...(slashed ? [slashed] : []),
    ...(stem
      ? [stem]
      : /\.[cm]?[jt]s$/.test(spelt)
        ? []
        : ['.ts', '.mts', '.mjs', '.js', '/index.ts', '/index.mjs'].map((ext) => `${spelt}${ext}`)),
  ];
  return candidates.find((c) => existsSync(resolve(c)));
}

/**
 * `no such module FILE`, naming what exists nearby (`(src/handler.ts exists: give that)`), for `--handler` and
 * `wmflow bundle`.
 *
 * @example
 * ```ts
 * throw new LocalStackError(`--handler: ${noSuchModule('src/handler.js')}`);
 * ```
 */
export function noSuchModule(file: string): string {
  const near = nearModule(file);
  return `no such module ${file}${near ? ` (${near} exists: give that)` : ''}`;
}
