import { basename, dirname, join } from 'node:path';

/**
 * Where a file or folder is made before it is renamed into place whole (`.<name>.partial-<pid>` beside it): a write
 * cut short or a process killed leaves only that name, never a cut file under the real one (fault rounds 65, 66).
 */
export function partialPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}
