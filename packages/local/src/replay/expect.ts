import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Direction } from '@wmflow/core';
import { LocalStackError } from '../errors.js';
import { withoutBom } from './env-file.js';
import { checkFieldTypes } from './expect-fields.js';
import { jsonProblem } from './json-problem.js';

/**
 * What a fixture is expected to do (`<fixture>.expect.json`, or an entry of a
 * `wmflow.expect.json` manifest). Envelope fields are inputs of the replay;
 * the others are compared by `--check`. Every field is optional.
 *
 * @example
 * ```json
 * { "direction": "INBOUND", "verdicts": { "*": "DEFAULT" }, "subjectPrefix": "[EXTERNAL]", "journaled": false }
 * ```
 */
export interface Expectation {
  direction?: Direction;
  mailFrom?: string;
  recipients?: string[];
  /** Verdict per recipient (`"*"`: every recipient not named): a type, `BOUNCE` (any message) or `BOUNCE:<message>`. */
  verdicts?: Record<string, string>;
  /** The rules that fired, in any order. */
  rulesFired?: string[];
  /** Whether a rewrite was committed. */
  rewritten?: boolean;
  /** The delivered Subject starts with this (implies a rewrite). */
  subjectPrefix?: string;
  /** Headers of the delivered message: a decoded value, `true` (present) or `false`/`null` (absent). */
  headers?: Record<string, string | boolean | null>;
  /** Whether objects were journaled, or how many. */
  journaled?: boolean | number;
  /** `false`: no error; `true`: some error; a string: the error's name, or a part of its message. */
  error?: boolean | string;
  /** Rule failures: `false`/`0` none, `true` some, a count, or the names of the rules that failed. */
  failures?: boolean | number | string[];
  /** Edit outcome: a status (`none`, `committed`, `skipped`, `failed`), or `{ status, reason }` (a part of the reason). */
  edit?: EditExpectation['status'] | EditExpectation;
  /** Whether the deadline guard answered before the chain ended. */
  deadlineHit?: boolean;
}

/** An expected edit outcome. */
export interface EditExpectation {
  status: 'none' | 'committed' | 'skipped' | 'failed' | 'unknown';
  reason?: string;
}

const KEYS = new Set([
  'direction',
  'mailFrom',
  'recipients',
  'verdicts',
  'rulesFired',
  'rewritten',
  'subjectPrefix',
  'headers',
  'journaled',
  'error',
  'failures',
  'edit',
  'deadlineHit',
  'description',
]);

/** The manifest file name looked for beside fixtures. */
export const MANIFEST_NAME = 'wmflow.expect.json';

/**
 * Expectations of a run: from manifests given with `--expect`, manifests named
 * `wmflow.expect.json` in a fixture's folder, and sidecars `<name>.expect.json`
 * (fields of a sidecar override the manifest's).
 *
 * @example
 * ```ts
 * const book = await ExpectationBook.load(['samples/expect/guard.expect.json']);
 * const expected = await book.lookup('samples/eml/01-plain-text.eml');
 * ```
 */
export class ExpectationBook {
  private readonly entries = new Map<string, Expectation>();
  private readonly scanned = new Set<string>();

  private constructor() {}

  /** Reads the given manifests. */
  static async load(manifests: readonly string[]): Promise<ExpectationBook> {
    const book = new ExpectationBook();
    for (const m of manifests) await book.addManifest(resolve(m));
    return book;
  }

  /** Fixtures named by the manifests, as absolute paths, in manifest order. */
  fixtures(): string[] {
    return [...this.entries.keys()];
  }

  /** The expectation of a fixture, or undefined when it has none. */
  async lookup(file: string): Promise<Expectation | undefined> {
    const path = resolve(file);
    const folder = dirname(path);
    if (!this.scanned.has(folder)) {
      this.scanned.add(folder);
      const local = join(folder, MANIFEST_NAME);
      if (existsSync(local)) await this.addManifest(local, false);
    }
    const sidecar = join(folder, `${basename(path, extname(path))}.expect.json`);
    const fromManifest = this.entries.get(path);
    if (!existsSync(sidecar)) {
      // Named after the whole file name (`x.eml.expect.json`), it would check nothing, silently (newcomer round 7).
      const misnamed = `${path}.expect.json`;
      if (extname(path) !== '' && existsSync(misnamed))
        throw new LocalStackError(
          `${misnamed}: not read: the expectation of ${basename(path)} is ${basename(sidecar)} (the name without ${extname(path)}): rename it`,
        );
      return fromManifest;
    }
    return { ...fromManifest, ...checked(await readJson(sidecar), sidecar) };
  }

  private async addManifest(path: string, override = true): Promise<void> {
    this.scanned.add(dirname(path));
    const json = (await readJson(path)) as { fixtures?: unknown };
    if (typeof json !== 'object' || json === null || typeof json.fixtures !== 'object' || !json.fixtures) {
      throw new LocalStackError(
        `${path}: a manifest is { "fixtures": { "<file>": { … } } }${sidecarHint(path)}`,
      );
    }
    for (const [name, value] of Object.entries(json.fixtures)) {
      const fixture = resolve(dirname(path), name);
      if (override || !this.entries.has(fixture))
        this.entries.set(fixture, checked(value, `${path}: ${name}`));
    }
  }
}

/** A sidecar given to `--expect` (newcomer round 8): it is read beside its message without the option. */
function sidecarHint(path: string): string {
  const name = basename(path);
  if (name === MANIFEST_NAME || !name.endsWith('.expect.json')) return '';
  const message = `${name.slice(0, -'.expect.json'.length)}.eml`;
  return `; an expectation beside its message (${name} for ${message}) is read without --expect: drop --expect`;
}

async function readJson(path: string): Promise<unknown> {
  let text = '';
  try {
    // Written on Windows, it may start with a byte order mark, which JSON.parse refuses (newcomer round 7).
    text = withoutBom(await readFile(path, 'utf8'));
    return JSON.parse(text);
  } catch (error) {
    throw new LocalStackError(`cannot read expectations ${path}: ${jsonProblem(error, text)}`);
  }
}

function checked(value: unknown, where: string): Expectation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LocalStackError(`${where}: an expectation is a JSON object`);
  }
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key))
      throw new LocalStackError(`${where}: unknown field "${key}" (known: ${[...KEYS].join(', ')})`);
  }
  const e = value as Expectation;
  if (e.direction !== undefined && e.direction !== 'INBOUND' && e.direction !== 'OUTBOUND') {
    throw new LocalStackError(`${where}: direction must be INBOUND or OUTBOUND`);
  }
  if (e.verdicts !== undefined) checkVerdicts(e.verdicts, where);
  checkFieldTypes(value as Record<string, unknown>, where);
  return e;
}

const VERDICTS = ['DEFAULT', 'DROP', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK', 'BOUNCE'];
/** The table's short names (table.ts), which a newcomer copies into an expectation. */
const SHORT_NAMES: Record<string, string> = { JUNK: 'MOVE_TO_JUNK', BYPASS: 'BYPASS_SPAM_CHECK' };

/**
 * A verdict no handler can give (`"JUNK"` as the table shows it, `"BOUNCED"`) would fail the check on every run, as
 * if the handler were wrong: refused when the expectation is read, as an unknown field is (newcomer round 6).
 */
function checkVerdicts(verdicts: unknown, where: string): void {
  if (typeof verdicts !== 'object' || verdicts === null || Array.isArray(verdicts))
    throw new LocalStackError(`${where}: verdicts is an object: recipient (or "*") → verdict`);
  for (const [recipient, verdict] of Object.entries(verdicts)) {
    if (typeof verdict === 'string' && (VERDICTS.includes(verdict) || verdict.startsWith('BOUNCE:')))
      continue;
    const short = typeof verdict === 'string' ? SHORT_NAMES[verdict] : undefined;
    throw new LocalStackError(
      `${where}: verdicts[${JSON.stringify(recipient)}]: ${JSON.stringify(verdict)} is no verdict` +
        (short
          ? `: write "${short}" (the table shortens it)`
          : ` (${VERDICTS.join(', ')} or "BOUNCE:<message>")`),
    );
  }
}
