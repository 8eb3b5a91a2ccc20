import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ancestors } from '../ancestors.js';
import { bundleHandler } from '../bundle/bundle.js';
import { LocalStackError } from '../errors.js';
import { noSuchModule } from '../near-path.js';
import { RUNNING_FROM_SOURCE } from '../running-from-source.js';
import { watchingEnvReads } from './env-reads.js';
import { notAHandler } from './not-a-handler.js';
import { PREBUILT_FUNCTIONS } from './prebuilt-names.js';

export { PREBUILT_FUNCTIONS };

/** A Lambda handler as replay calls it: promise-returning or callback-style. */
type AnyHandler = (
  event: unknown,
  context: unknown,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

/**
 * A handler module imported once, ready to be invoked per message.
 *
 * @example
 * ```ts
 * const loaded = await loadHandler({ handler: 'samples/lambdas/wire-transfer-blocker.ts' });
 * await loaded.invoke(event, lambdaContext());
 * ```
 */
export interface LoadedHandler {
  /** What the table calls it: the function name or `module#export`. */
  readonly label: string;
  /** The module file that was imported. */
  readonly path: string;
  /** `'ses'` for an `sesFlow` handler (it answers SES receipt rules); otherwise absent. */
  readonly engine?: 'ses';
  invoke(event: unknown, context: unknown): Promise<unknown>;
}

/** Which handler to run: a prebuilt function by name, or a module (`path[#export]`). */
export interface HandlerSpec {
  function?: string;
  handler?: string;
  /** Prefer the built bundle `dist/functions/<name>/index.mjs` over the source. */
  built?: boolean;
}

export { RUNNING_FROM_SOURCE };

/**
 * Finds a prebuilt function: `functions/<name>/index.ts` (from source, when
 * TypeScript can be imported) or the bundle `dist/functions/<name>/index.mjs`,
 * looked up from the working folder upwards, then from this package's repository,
 * then the bundle shipped in the installed package `@wmflow/functions`.
 *
 * @example
 * ```ts
 * resolveFunction('guard'); // '/repo/functions/guard/index.ts'
 * ```
 */
export function resolveFunction(name: string, options: { built?: boolean } = {}): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
    throw new LocalStackError(`--function: bad function name "${name}"`);
  const source = join('functions', name, 'index.ts');
  const bundle = join('dist', 'functions', name, 'index.mjs');
  const order = options.built || !RUNNING_FROM_SOURCE ? [bundle, source] : [source, bundle];
  const roots = [...ancestors(process.cwd()), ...ancestors(dirname(fileURLToPath(import.meta.url)))];
  for (const candidate of order) {
    if (candidate === source && !RUNNING_FROM_SOURCE) continue;
    for (const root of roots) {
      const path = join(root, candidate);
      if (existsSync(path)) return path;
    }
  }
  const packaged = fromFunctionsPackage(name);
  if (packaged) return packaged;
  if (!PREBUILT_FUNCTIONS.includes(name))
    throw new LocalStackError(
      `--function ${name}: no such prebuilt function; the prebuilt functions are ${PREBUILT_FUNCTIONS.join(', ')}`,
    );
  throw new LocalStackError(
    `--function ${name}: found neither functions/${name}/index.ts, dist/functions/${name}/index.mjs nor ` +
      `the package @wmflow/functions (npm install @wmflow/functions)`,
  );
}

/** The bundle `@wmflow/functions/<name>`, installed beside the app or beside this CLI. */
function fromFunctionsPackage(name: string): string | undefined {
  for (const base of [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return createRequire(base).resolve(`@wmflow/functions/${name}`);
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/**
 * Imports the handler module once (after the caller has set `process.env`: bundles
 * create their clients and read their configuration at cold start) and picks its
 * export (`handler` unless named after `#`). Given `envReads`, the names of the variables the module reads as it
 * loads are added to it (newcomer round 10: a misspelt setting is named beside the one read).
 *
 * @example
 * ```ts
 * await loadHandler({ function: 'guard' });
 * await loadHandler({ handler: 'dist/my-fn/index.mjs#main' });
 * ```
 */
export async function loadHandler(spec: HandlerSpec, envReads?: Set<string>): Promise<LoadedHandler> {
  let path: string;
  let exportName = 'handler';
  let label: string;
  if (spec.function !== undefined) {
    path = resolveFunction(spec.function, { built: spec.built ?? false });
    label = spec.function;
  } else if (spec.handler !== undefined) {
    const hash = spec.handler.lastIndexOf('#');
    const file = hash > 0 ? spec.handler.slice(0, hash) : spec.handler;
    if (hash > 0) exportName = spec.handler.slice(hash + 1);
    path = resolve(file);
    if (!existsSync(path)) throw new LocalStackError(`--handler: ${noSuchModule(file)}`);
    label = `${file}#${exportName}`;
  } else {
    throw new LocalStackError('give --function <name> or --handler <module>[#export]');
  }
  // A bundling failure says itself what went wrong and where (`cannot bundle src/handler.ts: … (src/handler.ts:2:40)`).
  const runnable = TYPESCRIPT.test(path) && !RUNNING_FROM_SOURCE ? await bundleForReplay(path) : path;
  let module: Record<string, unknown>;
  try {
    const load = () => import(pathToFileURL(runnable).href) as Promise<Record<string, unknown>>;
    module = envReads ? await watchingEnvReads(envReads, load) : await load();
  } catch (error) {
    const e = error as Error;
    throw new LocalStackError(`cannot load ${label} (${path}): ${e.name}: ${e.message}`);
  }
  // A CommonJS module's exports are its default (`module.exports = { handler }`); a default that is itself a
  // function is an ES module's `export default flow(…)`, whose own `handler` property is no handler (newcomer round 7).
  const fallback = typeof module.default === 'function' ? undefined : module.default;
  const fn = module[exportName] ?? (fallback as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') {
    if (fn !== undefined) throw new LocalStackError(`${label}: ${notAHandler(exportName, fn)}`);
    const names = Object.keys(module).join(', ') || 'none';
    const isDefault =
      typeof module.default === 'function' && exportName === 'handler' && spec.handler !== undefined
        ? `: the handler is the default export, but Lambda calls index.handler: write export const handler = flow(…), or replay it as --handler ${label.slice(0, -'#handler'.length)}#default`
        : '';
    throw new LocalStackError(
      `${label}: no function exported as "${exportName}" (exports: ${names})${isDefault}`,
    );
  }
  // sesFlow marks its handler with a registered symbol (the module may bundle its own @wmflow/core).
  const ses = (fn as unknown as Record<symbol, unknown>)[Symbol.for('wmflow.engine')] === 'ses';
  return {
    label,
    path,
    ...(ses ? { engine: 'ses' as const } : {}),
    invoke: (event, context) => call(fn as AnyHandler, event, context),
  };
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Node cannot import TypeScript, so the installed CLI bundles a `.ts` handler with the same esbuild
 * configuration as `wmflow bundle` (readable, inline source maps) into a temporary folder removed at
 * exit: the code replayed has the shape of the code deployed. Inside this repository the CLI runs
 * through tsx and imports `.ts` directly.
 */
async function bundleForReplay(path: string): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'wmflow-replay-'));
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  process.setSourceMapsEnabled(true);
  await bundleHandler({ entry: path, outdir, mode: 'local' });
  return join(outdir, 'index.mjs');
}

/** Calls a handler the way the Lambda runtime does: a returned promise, or the callback. */
function call(fn: AnyHandler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const done = (error: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolvePromise(result);
    };
    try {
      const returned = fn(event, context, done);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(
          (r) => done(null, r),
          (e: unknown) => done(e ?? new Error('rejected')),
        );
      } else if (fn.length < 3) {
        done(null, returned);
      }
    } catch (error) {
      done(error ?? new Error('thrown'));
    }
  });
}
