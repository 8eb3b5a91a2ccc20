import { existsSync, readFileSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { ancestors } from '../ancestors.js';
import { LocalStackError } from '../errors.js';
import { partialPathOf } from '../partial-path.js';
import { type BundleMode, esbuildOptions } from './esbuild-options.js';
import { joinInitialChunks } from './join-initial.js';

/** Size limits of a bundle in bytes (minified, source maps not counted). */
export interface BundleBudget {
  /** What a cold start loads: `index.mjs` and the chunks it imports statically. */
  initial?: number;
  /** Every JavaScript file of the bundle, lazy chunks included. */
  total?: number;
}

/** Settings of {@link bundleHandler}. */
export interface BundleOptions {
  /** The handler module (TypeScript or JavaScript) exporting `handler`. */
  entry: string;
  /** The folder to (re)create: `index.mjs`, `chunks/`, source maps. What SAM's `CodeUri` points at. */
  outdir: string;
  /** Default `'lambda'`. */
  mode?: BundleMode;
  budget?: BundleBudget;
  /**
   * Run on the whole bundle (`dir`, its folder before it is put in place) once made; a throw fails the bundle and
   * leaves no folder under the name. `wmflow bundle` loads the handler there: a check of the folder once in place
   * could see another bundle made into it meanwhile (fault round 96).
   */
  check?: (dir: string) => Promise<void>;
}

/** Sizes of one bundle. */
export interface BundleReport {
  entry: string;
  outdir: string;
  /** Bytes loaded at cold start: the entry and its static imports. */
  initial: number;
  /** Bytes of every JavaScript file of the bundle. */
  total: number;
  /** Chunks only reached through `import()`, with their sizes. */
  lazy: { file: string; bytes: number }[];
  budget: BundleBudget;
  /** Each budget exceeded, e.g. `initial 1200000 > 950000`; empty when within budget. */
  overBudget: string[];
  /** What the user should know of the bundle (a native addon bundled without its build); absent when nothing. */
  notes?: string[];
}

/**
 * Bundles a Lambda handler with wmflow's esbuild configuration (see {@link esbuildOptions}) into
 * `outdir/index.mjs` (Lambda handler `index.handler`) and measures what a cold start loads.
 *
 * @example
 * ```ts
 * const report = await bundleHandler({ entry: 'src/handler.ts', outdir: 'dist/handler', budget: { initial: 1_000_000 } });
 * if (report.overBudget.length > 0) process.exitCode = 1;
 * ```
 */
export async function bundleHandler(options: BundleOptions): Promise<BundleReport> {
  const entry = resolve(options.entry);
  const outdir = resolve(options.outdir);
  await refuseNotABundle(outdir);
  // A failed bundle leaves nothing under the name to deploy by mistake: not the build before, not part of this one.
  await rm(outdir, { recursive: true, force: true });
  await removeDeadPartials(outdir);
  // esbuild writes into a sibling folder (the same depth, so the source maps' relative paths are the ones the
  // bundle keeps), renamed into place once whole: a bundle cut by a full disk or a kill, or made at the same time
  // by another `wmflow bundle` into the same folder, never leaves an index.mjs beside chunks of another build
  // or without its own (fault round 66).
  // One per call, not per process: two bundles of one process into one folder at once (`Promise.all`) would share
  // it, and its `-joined` sibling (fault round 96).
  const partial = `${partialPathOf(outdir)}-${++bundles}`;
  await rm(partial, { recursive: true, force: true });
  let metafile: Metafile | undefined;
  try {
    ({ metafile } = await build({
      ...withCommonJsHandler(esbuildOptions(entry, partial, options.mode ?? 'lambda'), entry),
      // Paths in the metafile are then relative to the file system root, wherever the bundle goes.
      absWorkingDir: parse(outdir).root,
    }));
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    const errors = (
      error as {
        errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
      }
    ).errors;
    const first = errors?.[0];
    // esbuild names the file relative to absWorkingDir (the root) and counts columns from 0: say it as an
    // editor does (`src/handler.ts:2:40`), from the working folder.
    const at = first?.location;
    const where = at ? ` (${shown(resolve(parse(outdir).root, at.file))}:${at.line}:${at.column + 1})` : '';
    const more = errors && errors.length > 1 ? `, and ${errors.length - 1} more error(s)` : '';
    // Said of the folder asked for, not of the sibling it was being made in.
    const text = (first?.text ?? String(error)).replaceAll(partial, outdir);
    // A `require('./x.node')`: the package it is in is a native addon (newcomer round 9).
    const addon =
      /No loader is configured for "\.node" files/.test(text) && at
        ? packageOf(resolve(parse(outdir).root, at.file))
        : undefined;
    throw new LocalStackError(
      `cannot bundle ${shown(entry)}: ${text}${where}${more}${unresolvedHint(text, at?.file, parse(outdir).root)}${
        addon ? `: ${nativeAddon(shown(entry), addon.name)}` : ''
      }`,
    );
  }
  const notes = await refuseNativeAddons(metafile as Metafile, partial, entry);
  if ((options.mode ?? 'lambda') === 'lambda') {
    await refuseWithoutHandler(metafile as Metafile, partial, entry);
    metafile = await joinInitialChunks(partial, metafile as Metafile).catch(async (error: unknown) => {
      await rm(partial, { recursive: true, force: true });
      throw new LocalStackError(
        `cannot bundle ${shown(entry)}: joining the initial chunks failed: ${joinFailure(error, partial, outdir)}`,
      );
    });
  }
  const report = measure(partial, metafile as Metafile, entry, options.budget ?? {});
  if (options.check)
    await options.check(partial).catch(async (error: unknown) => {
      await rm(partial, { recursive: true, force: true });
      throw error;
    });
  await putInPlace(partial, outdir);
  return { ...report, outdir, ...(notes.length > 0 ? { notes } : {}) };
}

/** Bundles begun by this process: each names its partial folder. */
let bundles = 0;

/**
 * Why the join failed, in one line, said of the folder asked for. Rolldown reports a write that fails (a full disk)
 * as a panic: colour codes, "Something went wrong inside rolldown", the file, `Caused by:` the system's words, and a
 * Rust backtrace (fault round 96).
 */
function joinFailure(error: unknown, partial: string, outdir: string): string {
  const first = (error as { errors?: { message?: unknown }[] }).errors?.[0]?.message;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal colour codes rolldown puts in its words.
  let text = (typeof first === 'string' ? first : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
  text = text.split(/\n\s*Stack backtrace:/)[0] ?? text;
  const write = /Failed to write file in (.+)\n[\s\S]*?Caused by:\s*(.+)/.exec(text);
  if (write) text = `cannot write ${write[1]}: ${write[2]?.replace(/\s*\(os error \d+\)$/, '')}`;
  text = text
    .replace(/^\[[A-Z_]+\]\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return text.replaceAll(`${partial}-joined`, outdir).replaceAll(partial, outdir);
}

/**
 * What to do about a package esbuild could not resolve (newcomer round 7): a handler outside the project that
 * installed it (a scratch file in `/tmp`) looks packages up from its own folder upwards, not from the project's.
 */
function unresolvedHint(text: string, file: string | undefined, root: string): string {
  const name = /^Could not resolve "((?:@[^"/]+\/)?[^"./][^"/]*)/.exec(text)?.[1];
  if (name === undefined || file === undefined) return '';
  const folder = dirname(resolve(root, file));
  // Installed, but not that path of it (a subpath it does not export): esbuild's own words say enough.
  if (ancestors(folder).some((d) => existsSync(join(d, 'node_modules', name)))) return '';
  return `: no node_modules/${name} in ${shown(folder)} or a folder above it: put the handler in the project that installed ${name}, or npm install ${name} there`;
}

/** Exports a handler as CommonJS writes it: `exports.handler =`, `module.exports = { handler… }`. */
const COMMONJS_HANDLER =
  /\b(?:module\.)?exports\s*(?:\.\s*handler|\[\s*['"`]handler['"`]\s*\])\s*=|\bmodule\.exports\s*=\s*\{[^}]*\bhandler\b/;
/** An ES module's own import or export statement. */
const ES_MODULE = /^\s*(?:import\s*[\w*{'"]|export\s)/m;

/**
 * A CommonJS handler (`exports.handler = flow(…)` in `handler.cjs`, as a CommonJS project writes it, and as replay
 * runs it) is bundled through an entry re-exporting its `handler`: esbuild's ES module bundle would export the
 * module's `module.exports` as its default alone, and Lambda calls `index.handler` (newcomer round 9).
 */
function withCommonJsHandler(options: BuildOptions, entry: string): BuildOptions {
  let source: string;
  try {
    source = readFileSync(entry, 'utf8');
  } catch {
    return options; // esbuild says why it cannot read it.
  }
  if (!COMMONJS_HANDLER.test(source) || ES_MODULE.test(source)) return options;
  const namespace = 'wmflow-commonjs-entry';
  const reExport: Plugin = {
    name: namespace,
    setup(b) {
      b.onResolve({ filter: /^wmflow-commonjs-entry$/ }, () => ({ path: entry, namespace }));
      b.onLoad({ filter: /.*/, namespace }, () => ({
        contents: `export { handler } from ${JSON.stringify(entry)};\n`,
        resolveDir: dirname(entry),
        loader: 'js',
      }));
    },
  };
  return { ...options, entryPoints: { index: namespace }, plugins: [...(options.plugins ?? []), reExport] };
}

/**
 * A package built by node-gyp (binding.gyp, `gypfile`) finds its `.node` build at run time from its own folder
 * (`node-gyp-build(__dirname)`, `bindings`), which a bundle does not hold: the bundle would fail to load in Lambda
 * (Runtime.ImportModuleError) and replay would say `__dirname is not defined in ES module scope`. Refused here,
 * naming the package (newcomer round 9).
 */
async function refuseNativeAddons(metafile: Metafile, partial: string, entry: string): Promise<string[]> {
  const root = parse(partial).root;
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const file of Object.keys(metafile.inputs)) {
    const pkg = packageOf(resolve(root, file));
    if (pkg === undefined || seen.has(pkg.dir)) continue;
    seen.add(pkg.dir);
    if (!pkg.native) continue;
    // An optional addon (ws's bufferutil): the bundle runs without its build, as the package does uninstalled.
    const importers = await optionalImporters(metafile, root, pkg.dir);
    if (importers) {
      const one = importers.length === 1;
      notes.push(
        `${pkg.name}, a native addon, is bundled without its build: ${importers.join(', ')} require${one ? 's' : ''} it ` +
          `inside try/catch and run${one ? 's' : ''} without it, as where ${pkg.name} is not installed`,
      );
      continue;
    }
    await rm(partial, { recursive: true, force: true });
    throw new LocalStackError(`cannot bundle ${shown(entry)}: ${nativeAddon(shown(entry), pkg.name)}`);
  }
  return notes;
}

/**
 * The packages (or files) importing the package in `dir` when every import of it from outside it is a `require()` that
 * runs inside a `try` block (the optional-dependency idiom: `try { util = require('bufferutil') } catch {}`), so that
 * its missing build is caught where it is required; undefined when any is not (newcomer round 10: ws with bufferutil
 * installed was refused). A require in a function is not counted as in its caller's try: the function may be called
 * from elsewhere.
 */
async function optionalImporters(
  metafile: Metafile,
  root: string,
  dir: string,
): Promise<string[] | undefined> {
  const inside = (path: string) => path === dir || path.startsWith(`${dir}${sep}`);
  const importers = new Set<string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    const path = resolve(root, file);
    if (inside(path)) continue;
    const edges = input.imports.filter((i) => !i.external && inside(resolve(root, i.path)));
    if (edges.length === 0) continue;
    if (edges.some((e) => e.kind !== 'require-call' || e.original === undefined)) return undefined;
    if (!(await requiredOnlyInTry(path, new Set(edges.map((e) => e.original as string))))) return undefined;
    importers.add(packageOf(path)?.name ?? shown(path));
  }
  return importers.size > 0 ? [...importers] : undefined;
}

/** True when `file` calls `require(<one of specifiers>)`, each time inside a `try` block of the same function. */
async function requiredOnlyInTry(file: string, specifiers: ReadonlySet<string>): Promise<boolean> {
  const { parseAst } = await import('rolldown/parseAst');
  let program: unknown;
  try {
    const lang = /\.[cm]?tsx?$/.test(file) ? 'ts' : 'js';
    program = parseAst(readFileSync(file, 'utf8'), { lang, sourceType: 'unambiguous' }, file);
  } catch {
    return false;
  }
  type Node = { type?: unknown; [key: string]: unknown };
  const functions = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
  // Iterative: a deeply nested file must not overflow the stack.
  const stack: [unknown, boolean][] = [[program, false]];
  let found = false;
  while (stack.length > 0) {
    const [value, inTry] = stack.pop() as [unknown, boolean];
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, inTry]);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const node = value as Node;
    if (node.type === 'CallExpression' && requireOf(node, specifiers)) {
      if (!inTry) return false;
      found = true;
    }
    if (node.type === 'TryStatement') {
      stack.push([node.block, true], [node.handler, inTry], [node.finalizer, inTry]);
      continue;
    }
    const within = functions.has(String(node.type)) ? false : inTry;
    for (const [key, child] of Object.entries(node)) if (key !== 'type') stack.push([child, within]);
  }
  return found;
}

/** `require('<specifier>')` for one of `specifiers`. */
function requireOf(node: { [key: string]: unknown }, specifiers: ReadonlySet<string>): boolean {
  const callee = node.callee as { type?: string; name?: string } | undefined;
  const [first] = (node.arguments as { type?: string; value?: unknown }[] | undefined) ?? [];
  return (
    callee?.type === 'Identifier' &&
    callee.name === 'require' &&
    first?.type === 'Literal' &&
    typeof first.value === 'string' &&
    specifiers.has(first.value)
  );
}

/** What to say of a native addon `name` that `entry` imports. */
function nativeAddon(entry: string, name: string): string {
  return (
    `${entry} imports ${name}, a native addon (built by node-gyp for one platform and Node version): a bundle ` +
    `cannot carry it, and Lambda would fail to load the function (Runtime.ImportModuleError): use a pure-JavaScript ` +
    `package instead, or call what needs ${name} from another function`
  );
}

/** The package a file under `node_modules` belongs to, and whether it is a native addon. */
function packageOf(file: string): { dir: string; name: string; native: boolean } | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length - 1) return undefined;
  const scoped = parts[at + 1]?.startsWith('@');
  const dir = parts.slice(0, at + (scoped ? 3 : 2)).join(sep);
  const name = parts.slice(at + 1, at + (scoped ? 3 : 2)).join('/');
  let manifest: { gypfile?: unknown } = {};
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { gypfile?: unknown };
  } catch {
    // A file of the package's without a readable manifest beside it: judged by binding.gyp alone.
  }
  return { dir, name, native: manifest.gypfile === true || existsSync(join(dir, 'binding.gyp')) };
}

/**
 * Lambda calls the bundle's `index.handler`: a module exporting no `handler` (`export default flow(…)`, a typo'd
 * name) would deploy and fail every invocation with Runtime.HandlerNotFound, so it is refused here, the partial
 * bundle removed (newcomer round 7).
 */
async function refuseWithoutHandler(metafile: Metafile, partial: string, entry: string): Promise<void> {
  const index = Object.entries(metafile.outputs).find(
    ([file]) => basename(file) === 'index.mjs' && file.includes(basename(partial)),
  );
  const exports = index?.[1].exports;
  if (exports === undefined || exports.includes('handler')) return;
  await rm(partial, { recursive: true, force: true });
  const names = exports.join(', ') || 'none';
  // A CommonJS module's `module.exports` reach an ES module bundle as its default export alone (false-positive round
  // 10: the message said only to write what the module seemed to have written already).
  const commonJs =
    Object.entries(metafile.inputs).find(([file]) => resolve(parse(entry).root, file) === entry)?.[1]
      .format === 'cjs';
  const hint = commonJs
    ? 'it is a CommonJS module, whose module.exports the bundle (an ES module) exports as default only: write it as an ES module, export const handler = flow(…)'
    : exports.includes('default')
      ? 'write export const handler = flow(…)'
      : 'export the handler flow() returns as handler';
  throw new LocalStackError(
    `cannot bundle ${shown(entry)}: it exports no "handler" (exports: ${names}), and Lambda calls index.handler: ${hint}`,
  );
}

/**
 * Renames the whole bundle `partial` to `outdir`. A folder there (another bundle into it, finished meanwhile) is
 * moved aside and removed first: rename(2) will not replace a folder that holds files, so the one renamed last
 * stands, whole.
 */
async function putInPlace(partial: string, outdir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(partial, outdir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 20) {
        await rm(partial, { recursive: true, force: true });
        throw new LocalStackError(`cannot put the bundle in ${outdir}: ${(error as Error).message}`);
      }
      const old = `${join(dirname(outdir), `.${basename(outdir)}.old-${process.pid}`)}-${++bundles}`;
      await rename(outdir, old).catch(() => undefined);
      await rm(old, { recursive: true, force: true });
    }
  }
}

/** What a bundle folder holds: `index.mjs`, its map, and `chunks/` of code and maps. */
const BUNDLE_FILE = /^(?:index\.mjs(?:\.map)?|chunks\/[^/]+\.(?:mjs|cjs|js)(?:\.map)?)$/;

/**
 * Refuses an `outdir` that holds anything a bundle does not (`--out .`, `--out src`, a `dist/` with files of the
 * user's): it is removed and made again, and removing it would take those files with it (fault round 66). A
 * missing or empty folder, or one an earlier bundle made, is taken.
 */
async function refuseNotABundle(outdir: string): Promise<void> {
  const entries = await readdir(outdir, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      if (error.code === 'ENOTDIR')
        throw new LocalStackError(`${shown(outdir)} is a file, not a bundle folder`);
      throw error;
    },
  );
  const foreign = entries
    .map((e) => ({
      path: relative(outdir, join(e.parentPath, e.name)).split(sep).join('/'),
      dir: e.isDirectory(),
    }))
    .filter((e) => (e.dir ? e.path !== 'chunks' : !BUNDLE_FILE.test(e.path)))
    .map((e) => e.path)
    .sort();
  if (foreign.length > 0) {
    const named =
      foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new LocalStackError(
      `${shown(outdir)} holds files that are not a bundle (${named}): a bundle folder is removed and made again, so give --out a folder of its own (dist/<name>)`,
    );
  }
}

/** Removes the sibling folders a bundle killed midway left (`.<name>.partial-<pid>`, its process gone). */
async function removeDeadPartials(outdir: string): Promise<void> {
  const prefix = `.${basename(outdir)}.`;
  const siblings = await readdir(dirname(outdir)).catch(() => [] as string[]);
  for (const name of siblings) {
    const pid = /^(?:partial|old)-(\d+)/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1];
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    await rm(join(dirname(outdir), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A path relative to the working folder when under it, else as it is. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function measure(outdir: string, metafile: Metafile, entry: string, budget: BundleBudget): BundleReport {
  const root = parse(outdir).root;
  const outputs = Object.entries(metafile.outputs).filter(([file]) => /\.[mc]js$/.test(file));
  const byPath = new Map(outputs.map(([file, out]) => [resolve(root, file), out]));
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const i of byPath.get(file)?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(resolve(root, i.path));
    }
  };
  visit(resolve(outdir, 'index.mjs'));
  const size = (file: string) => byPath.get(file)?.bytes ?? 0;
  const initialBytes = [...initial].reduce((sum, f) => sum + size(f), 0);
  const total = [...byPath.keys()].reduce((sum, f) => sum + size(f), 0);
  const lazy = [...byPath.keys()]
    .filter((f) => !initial.has(f))
    .map((f) => ({ file: relative(outdir, f), bytes: size(f) }));
  const overBudget: string[] = [];
  if (budget.initial !== undefined && initialBytes > budget.initial)
    overBudget.push(`initial ${initialBytes} > ${budget.initial}`);
  if (budget.total !== undefined && total > budget.total) overBudget.push(`total ${total} > ${budget.total}`);
  return { entry, outdir, initial: initialBytes, total, lazy, budget, overBudget };
}
