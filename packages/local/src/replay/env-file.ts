import { readFile } from 'node:fs/promises';
import { LocalStackError } from '../errors.js';
import { jsonProblem } from './json-problem.js';

/**
 * The environment file a command was given: `--env-vars FILE` (the name `sam local invoke` gives it) or
 * `--env-file FILE`. Node 20 reads any `--env-file` on its command line itself, even after the script, and stops
 * with `node: FILE: not found` when the file is missing; `--env-vars` reaches wmflow on every Node.
 *
 * @example
 * ```ts
 * envFileArgument({ 'env-vars': 'env.json' }); // 'env.json'
 * ```
 */
export function envFileArgument(values: { 'env-file'?: string; 'env-vars'?: string }): string | undefined {
  if (values['env-file'] !== undefined && values['env-vars'] !== undefined)
    throw new LocalStackError('--env-vars and --env-file name the same file: give one');
  return values['env-vars'] ?? values['env-file'];
}

/**
 * Reads an environment file in the format of `sam local invoke --env-vars`:
 * `{"Parameters": {…}}` applies to every function, `{"<LogicalId>": {…}}` to
 * one; the function's own object wins over `Parameters`. `ids` are the names
 * the handler may be known by (logical id, function name), first match wins.
 *
 * @example
 * ```ts
 * await readEnvFile('samples/env/guard.json', ['GuardFunction', 'guard']);
 * ```
 */
export async function readEnvFile(path: string, ids: readonly string[]): Promise<Record<string, string>> {
  let json: unknown;
  let text = '';
  try {
    // A byte order mark (Notepad, PowerShell 5's `Out-File -Encoding utf8`) is not JSON, nor visible in the error.
    text = withoutBom(await readFile(path, 'utf8'));
    json = JSON.parse(text);
  } catch (error) {
    // A dotenv file (`KEY=VALUE` lines) is not the format: say which is, and the option taking KEY=VALUE (round 7).
    const pair = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/m.exec(text);
    if (pair) {
      const [, key, raw = ''] = pair;
      const value = raw.trim().replace(/^(["'])(.*)\1$/, '$2');
      throw new LocalStackError(
        `environment file ${path}: KEY=VALUE lines (a .env file) are not its format: it is the JSON of sam local invoke --env-vars, ` +
          `{"Parameters": {${JSON.stringify(key)}: ${JSON.stringify(value)}}}; or give each variable as --env ${key}=${value}`,
      );
    }
    throw new LocalStackError(`environment file ${path}: ${jsonProblem(error, text)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LocalStackError(
      `environment file ${path}: expected {"Parameters": {…}} or {"<LogicalId>": {…}}`,
    );
  }
  const sections = json as Record<string, unknown>;
  // A plain map of variables ({"JOURNAL_BUCKET": "journal"}) would be read as function entries, none the
  // handler's, and give no variable at all (newcomer round 6): a top-level value that is no object is refused.
  const variable = Object.entries(sections).find(([, v]) => v === null || typeof v !== 'object');
  if (variable) {
    throw new LocalStackError(
      `environment file ${path}: "${variable[0]}" is a variable at the top level, where the file names functions: ` +
        `put the variables under "Parameters", {"Parameters": {"${variable[0]}": …}} (the format of sam local invoke --env-vars)`,
    );
  }
  const own = Object.keys(sections).filter((k) => k !== 'Parameters');
  const id = ids.find((i) => own.includes(i)) ?? (own.length === 1 ? own[0] : undefined);
  const env: Record<string, string> = {};
  for (const name of ['Parameters', ...(id ? [id] : [])]) {
    const section = sections[name];
    if (section === undefined) continue;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      throw new LocalStackError(`--env-file ${path}: "${name}" must be an object of variables`);
    }
    for (const [key, value] of Object.entries(section)) {
      if (value === null || typeof value === 'object') {
        throw new LocalStackError(`--env-file ${path}: ${name}.${key} must be a string, number or boolean`);
      }
      env[key] = String(value);
    }
  }
  return env;
}

/** `text` without the byte order mark an editor may have put before it. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The logical id SAM gives a prebuilt function in template.yaml: `guard` →
 * `GuardFunction`, `outbound-policy` → `OutboundPolicyFunction`.
 *
 * @example
 * ```ts
 * logicalIdOf('outbound-policy'); // 'OutboundPolicyFunction'
 * ```
 */
export function logicalIdOf(name: string): string {
  return `${name
    .split(/[^a-zA-Z0-9]+/)
    .map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1))
    .join('')}Function`;
}

/**
 * Parses `KEY=VALUE` pairs of `--env`.
 *
 * @example
 * ```ts
 * parseEnvPairs(['A=1', 'B=x=y']); // { A: '1', B: 'x=y' }
 * ```
 */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LocalStackError(`--env ${pair}: expected KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/**
 * The buckets a function's settings name: the value of each variable ending in `_BUCKET` that is a bucket name, which
 * `replay` and `serve` create in the local S3 (as the template creates them). Loads nothing.
 *
 * @example
 * ```ts
 * bucketsNamedIn({ JOURNAL_BUCKET: 'corp-journal', UPDATES_BUCKET: '', TAG: 'x' }); // ['corp-journal']
 * ```
 */
export function bucketsNamedIn(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([key, value]) => key.endsWith('_BUCKET') && BUCKET_NAME.test(value))
    .map(([, value]) => value);
}

// Core's `isBucketName` pattern, written here: `replay -j N` reads its settings before forking, and its parent process
// loads neither `@wmflow/core` nor the AWS SDK (replay-jobs.test.ts).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
