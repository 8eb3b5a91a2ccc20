import { type Dirent, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LocalStackError } from './errors.js';
import { slashSpelling } from './near-path.js';

/** File extensions taken as messages when a folder is loaded. */
const MESSAGE_EXTENSIONS = new Set(['.eml', '.msg', '.txt', '.mime']);

/**
 * Expands files and folders into the message files they hold: a file is
 * taken as is, a folder is searched recursively for .eml (and .msg, .txt,
 * .mime) entries that are not folders (symlinks not followed into folders), sorted by path; a folder
 * holding none is a `LocalStackError`. A `<name>.expect.json` named among them (`mail/*`) is no message and is passed
 * over; named alone, it is refused.
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
      const slashed = slashSpelling(path);
      const hint = slashed ? ` (${slashed} exists: folders are separated by / here)` : '';
      throw new LocalStackError(`cannot load ${path}: no such file or folder${hint}`);
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
          `cannot load ${path}: no message file in it (.eml, .msg, .txt, .mime, searched recursively)${journalHint(path, entries)}`,
        );
      found.push(...files);
    } else if (!isExpectation(path)) {
      found.push(path);
    }
  }
  // `wmflow replay mail/*` names the expectations beside the messages too (newcomer round 8): they are read as the
  // expectations they are, not replayed as messages; named alone, they leave nothing to replay.
  const expectation = paths.find(isExpectation);
  if (found.length === 0 && expectation !== undefined)
    throw new LocalStackError(
      `cannot load ${expectation}: an expectation, not a message: give the message beside it (${messageOf(expectation)}) or the folder`,
    );
  return found;
}

/**
 * A folder of journaled messages (`<id>` beside `<id>.json`, as `journalToS3` writes them; a replay's `--out` or an
 * `aws s3 sync` of the journal) holds no message file by name: it is what `wmflow backtest` reads (newcomer round 8).
 */
function journalHint(path: string, entries: readonly Dirent[]): string {
  const files = new Set(entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name)));
  const journal = [...files].some(
    (file) => file.endsWith('.json') && files.has(file.slice(0, -'.json'.length)),
  );
  return journal
    ? `; it holds a journal (<id> beside <id>.json, as journalToS3 writes it): wmflow backtest ${path} --handler … replays it`
    : '';
}

/** `<name>.expect.json` or a `wmflow.expect.json` manifest. */
function isExpectation(path: string): boolean {
  return path.toLowerCase().endsWith('.expect.json');
}

/** The message an expectation `<name>.expect.json` is of: `<name>.eml`, or the message file of that name there. */
function messageOf(expectation: string): string {
  const stem = expectation.slice(0, -'.expect.json'.length);
  const found = [...MESSAGE_EXTENSIONS].map((ext) => `${stem}${ext}`).find((file) => existsSync(file));
  return found ?? `${stem}.eml`;
}
