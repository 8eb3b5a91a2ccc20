import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type BundleBudget, bundleHandler } from '../bundle/bundle.js';
import { formatBundleReport, parseSize } from '../bundle/report.js';
import { LocalStackError } from '../errors.js';
import { noSuchModule } from '../near-path.js';
import { notAHandler } from '../replay/not-a-handler.js';

/**
 * `wmflow bundle <handler.ts> [--out DIR] [--max-size SIZE] [--max-total SIZE]`: bundles a handler for
 * Lambda (`nodejs22.x`, handler `index.handler`, `CodeUri: DIR`), prints the size report to stderr and
 * exits 1 when a budget is exceeded. The default folder is `dist/<handler name>`.
 *
 * @example
 * ```ts
 * await bundle(['src/handler.ts', '--out', 'dist/handler', '--max-size', '1m']);
 * ```
 */
export async function bundle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'max-size': { type: 'string' },
      'max-total': { type: 'string' },
    },
  });
  const [entry, ...extra] = positionals;
  if (entry === undefined || extra.length > 0) throw new LocalStackError('give exactly one handler module');
  // Said as replay says it, not as esbuild's `Could not resolve "/abs/src\\handler.ts"` (newcomer round 8).
  if (!existsSync(entry)) throw new LocalStackError(noSuchModule(entry));
  const budget: BundleBudget = {};
  if (values['max-size'] !== undefined) budget.initial = size('--max-size', values['max-size']);
  if (values['max-total'] !== undefined) budget.total = size('--max-total', values['max-total']);
  const outdir = values.out ?? join('dist', basename(entry, extname(entry)));
  let loaded: Loaded = { problem: 'not loaded' };
  const report = await bundleHandler({
    entry,
    outdir,
    budget,
    // Loaded whole before it is put in place: once there, another bundle into the folder at once could be the one
    // loaded, or be the one removed (fault round 96).
    check: async (dir) => {
      loaded = said(await loadHandler(join(dir, 'index.mjs')), dir, outdir);
      // Lambda would load it and fail every invocation: no folder to deploy by mistake (newcomer round 9).
      if ('kind' in loaded && loaded.kind !== 'function')
        throw new LocalStackError(`cannot bundle ${entry}: ${notAHandler('handler', standIn(loaded))}`);
    },
  });
  process.stderr.write(`${formatBundleReport([{ ...report, name: outdir }])}\n`);
  for (const note of report.notes ?? []) process.stderr.write(`wmflow bundle: ${note}\n`);
  if (report.overBudget.length > 0) {
    process.stderr.write(`wmflow bundle: size budget exceeded: ${report.overBudget.join('; ')}\n`);
    return 1;
  }
  if ('problem' in loaded)
    process.stderr.write(
      `wmflow bundle: handler not checked: ${loaded.problem}: the bundle is made; replay it with its settings (--env-file) to see it load\n`,
    );
  process.stderr.write(
    `wmflow bundle: ${join(outdir, 'index.mjs')} (Handler: index.handler, CodeUri: ${outdir})\n`,
  );
  return 0;
}

function size(flag: string, text: string): number {
  const n = parseSize(text);
  if (n === undefined || n <= 0) throw new LocalStackError(`${flag}: a size such as 950000, 900k or 1.5m`);
  return n;
}

/** What `handler` of a loaded bundle is: `function`, `list`, `rule` (with its name), or another `typeof`. */
type Loaded = { kind: string; name?: string } | { problem: string };

/**
 * Child-process script: imports the bundle as Lambda's cold start does and sends back what its `handler` is. The
 * module's own output is not shown (stdout and stderr ignored): only the answer over IPC counts.
 */
const PROBE = `
const describe = (h) => Array.isArray(h) ? { kind: 'list' }
  : typeof h === 'function' ? { kind: 'function' }
  : h !== null && typeof h === 'object' && typeof h.name === 'string' && typeof h.run === 'function' ? { kind: 'rule', name: h.name }
  : { kind: h === null ? 'null' : typeof h };
let answer;
try { answer = describe((await import(process.argv[1])).handler); }
catch (error) { answer = { problem: 'loading the bundle failed (' + (error && error.name ? error.name + ': ' + error.message : String(error)) + ')' }; }
process.send(answer, () => process.exit(0));
`;

/** How long the bundle's cold start may take before it is left unchecked. */
const LOAD_LIMIT_MS = 30_000;

/**
 * Loads the bundle in a child process, as Lambda's cold start would, and says what its `handler` is (newcomer
 * round 9: `export const handler = [rule(…)]` bundled and would fail every invocation once deployed). The module
 * runs with no AWS credentials and every AWS endpoint pointed at a closed local port, so a client made at its top
 * level reaches no account; a module that cannot load without its settings is left unchecked, with the reason.
 */
function loadHandler(file: string): Promise<Loaded> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  Object.assign(env, {
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: resolve('/dev/null'),
    AWS_SHARED_CREDENTIALS_FILE: resolve('/dev/null'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(process.env.AWS_REGION ? { AWS_REGION: process.env.AWS_REGION } : {}),
  });
  return new Promise((settle) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '--eval', PROBE, pathToFileURL(resolve(file)).href],
      { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
    );
    let answer: Loaded | undefined;
    const timer = setTimeout(() => {
      answer ??= { problem: `loading the bundle did not finish in ${LOAD_LIMIT_MS / 1000} s` };
      child.kill('SIGKILL');
    }, LOAD_LIMIT_MS);
    child.on('message', (message) => {
      answer ??= message as Loaded;
    });
    child.on('error', (error) => {
      answer ??= { problem: `cannot start node (${error.message})` };
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      settle(answer ?? { problem: `loading the bundle ended it (${signal ?? `exit code ${code}`})` });
    });
  });
}

/** What the child said of the bundle in `dir`, said of `outdir`, where it goes. */
function said(loaded: Loaded, dir: string, outdir: string): Loaded {
  if (!('problem' in loaded)) return loaded;
  const href = pathToFileURL(resolve(dir)).href;
  const problem = loaded.problem
    .replaceAll(href, pathToFileURL(resolve(outdir)).href)
    .replaceAll(resolve(dir), resolve(outdir));
  return { problem };
}

/** A value of the kind the child saw, for {@link notAHandler}'s words. */
function standIn(loaded: { kind: string; name?: string }): unknown {
  switch (loaded.kind) {
    case 'list':
      return [];
    case 'rule':
      return { name: loaded.name, run: () => undefined };
    case 'null':
      return null;
    case 'object':
      return {};
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}
