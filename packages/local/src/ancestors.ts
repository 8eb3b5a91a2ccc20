import { dirname, resolve } from 'node:path';

/**
 * `start` and every folder above it, nearest first: where Node looks for `node_modules`, and where replay looks for a
 * prebuilt function's source or bundle.
 *
 * @example
 * ```ts
 * ancestors('/work/app/src'); // ['/work/app/src', '/work/app', '/work', '/']
 * ```
 */
export function ancestors(start: string): string[] {
  const out: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    out.push(dir);
    if (dirname(dir) === dir) return out;
  }
}
