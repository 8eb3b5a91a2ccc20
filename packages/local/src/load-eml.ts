import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LocalStackError } from './errors.js';

/** File extensions taken as messages when a folder is loaded. */
const MESSAGE_EXTENSIONS = new Set(['.eml', '.msg', '.txt', '.mime']);

/**
 * Expands files and folders into the message files they hold: a file is
 * taken as is, a folder is searched recursively for .eml (and .msg, .txt,
 * .mime) entries that are not folders (symlinks not followed into folders), sorted by path; a folder
 * holding none is a `LocalStackError`.
 *
 * @example
 * ```ts
 * await findMessageFiles(['samples/eml', 'extra/one.eml']);
 * ```
 */
export async function findMessageFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new LocalStackError(`cannot load ${path}: no such file or folder`);
    });
    if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      const files = entries
        // Not only regular files (fault round 65): a symlink, a FIFO or a device named like a message is listed too,
        // so that replay reads it or says why not (a FixtureError for that message), rather than skip it unsaid.
        .filter((entry) => !entry.isDirectory() && MESSAGE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
        .map((entry) => join(entry.parentPath, entry.name))
        .sort();
      // A folder with no message in it (newcomer round 6): replayed, it gave an empty table and exit 0, so a
      // `--check` gate that had checked nothing passed.
      if (files.length === 0)
        throw new LocalStackError(
          `cannot load ${path}: no message file in it (.eml, .msg, .txt, .mime, searched recursively)`,
        );
      found.push(...files);
    } else {
      found.push(path);
    }
  }
  return found;
}
