import { constants, existsSync, lstatSync } from 'node:fs';
import {
  appendFile,
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ancestors } from '../ancestors.js';
import { LocalStackError } from '../errors.js';
import { partialPathOf } from '../partial-path.js';
import { engineArgs } from './engine.js';

const TEMPLATE = new URL('../../templates/init/', import.meta.url);
/** What an SES project has instead of (or besides) the WorkMail project's files: its handler, rules, stack, README. */
const SES_TEMPLATE = new URL('../../templates/init-ses/', import.meta.url);
/** npm drops `.gitignore` from packages, so the template keeps dot files without their dot. */
const DOT_FILES = ['gitignore', 'gitattributes', 'github'];
/** Files a cloned repository already has: a README is kept, ignore and attribute files get the lines they lack. */
const KEPT = 'README.md';
const MERGED = ['.gitignore', '.gitattributes'];

/**
 * `wmflow init [DIR]`: creates a ready project in DIR (default: the working folder, which must not
 * hold any of its files but may hold a package.json, which is completed, a README.md, which is kept, and
 * a .gitignore or .gitattributes, which get the lines they lack, as a cloned repository has): a handler with two rules,
 * sample mail with expectations, template.yaml, package.json scripts (`replay`, `test`, `bundle`,
 * `deploy`), a CI workflow and a README. `--engine ses` makes the project for Amazon SES receipt rules
 * instead: the rules in `src/rules.ts`, an `sesFlow` handler, an SES stack, and scripts that replay on SES.
 *
 * @example
 * ```ts
 * await init(['my-mail-rule']);
 * await init(['my-ses-rule', '--engine', 'ses']);
 * ```
 */
export async function init(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    // create-wmflow calls init() without main(): `--engine SES` is read here too.
    args: engineArgs(args),
    allowPositionals: true,
    strict: true,
    options: { engine: { type: 'string', default: 'workmail' } },
  });
  if (values.engine !== 'workmail' && values.engine !== 'ses')
    throw new LocalStackError('--engine: workmail or ses');
  const engine = values.engine;
  const [dir = '.', ...extra] = positionals;
  if (extra.length > 0) {
    // After `--`, parseArgs reads options as folders: `npx create-wmflow DIR -- --engine ses` passes the `--` on
    // (npx does not take it as `npm create` does).
    const options = args.includes('--') && extra.some((a) => a.startsWith('-'));
    throw new LocalStackError(
      `give at most one folder (got ${positionals.join(', ')})${
        options
          ? `: options after "--" are read as folders; write "--engine ses" without the "--" (npx create-wmflow ${dir} --engine ses); "npm create wmflow ${dir} -- --engine ses" needs it, npx does not`
          : ''
      }`,
    );
  }
  const target = resolve(dir);
  const name = packageName(basename(target));
  const roots =
    engine === 'ses' ? [fileURLToPath(SES_TEMPLATE), fileURLToPath(TEMPLATE)] : [fileURLToPath(TEMPLATE)];
  const sources = await templateFiles(roots);
  const files = [...sources.keys()].sort();
  // A name that is there in any form (a dangling symlink too: writing through it made a file wherever it pointed).
  const clash = files.filter((f) => f !== KEPT && !MERGED.includes(f) && there(join(target, f)));
  if (clash.length > 0)
    throw new LocalStackError(`${dir} already has ${clash.join(', ')}; choose a new folder`);
  // Every file is created exclusively (never over a file, never through a link, whatever appeared since the
  // check), package.json is written aside and renamed over the user's; a write that fails (a full disk, a file-size
  // limit, a file that appeared meanwhile) removes what this run made, so a rerun is not refused for it, and leaves
  // the user's files as they were (fault round 66).
  const made: string[] = [];
  const madeDirs: string[] = [];
  const manifestPath = await manifestTarget(join(target, 'package.json'));
  const partial = partialPathOf(manifestPath);
  const merges: string[] = [];
  const notes: string[] = [];
  let replaced: string[] = [];
  let merged: Manifest;
  let writing = '';
  try {
    for (const file of files) {
      const from = sources.get(file) as string;
      const to = join(target, file);
      writing = file;
      if (there(to)) {
        if (file === KEPT) notes.push(`kept your ${file}`);
        else merges.push(file);
        continue;
      }
      const dirMade = await mkdir(dirname(to), { recursive: true });
      if (dirMade !== undefined) madeDirs.push(dirMade);
      if (file === KEPT)
        await writeFile(to, (await readFile(from, 'utf8')).replaceAll('{{name}}', name), { flag: 'wx' });
      else await copyFile(from, to, constants.COPYFILE_EXCL);
      made.push(to);
    }
    writing = 'package.json';
    const existing = await readManifest(manifestPath);
    ({ merged, replaced } = mergeManifest(existing, await manifest(name, engine)));
    // An explicit "commonjs" (or any other type) changes the meaning of the project's own .js files: say so
    // (newcomer round 5: it was changed silently, and `require` in a .js file then failed).
    const type = existing?.type;
    if (type !== undefined && type !== 'module')
      notes.push(
        `package.json "type" changed from ${JSON.stringify(type)} to "module" (the handler is an ES module): rename your CommonJS .js files to .cjs`,
      );
    await rm(partial, { force: true });
    await writeFile(partial, `${JSON.stringify(merged, null, 2)}\n`, { flag: 'wx' });
    // Over the user's package.json, read just now; with none, only where none appeared meanwhile (link: no clobber).
    if (existing !== undefined) await rename(partial, manifestPath);
    else {
      await link(partial, manifestPath);
      await rm(partial, { force: true });
    }
  } catch (error) {
    await rm(partial, { force: true });
    for (const file of made.reverse()) await unlink(file).catch(() => undefined);
    await removeEmptyDirs(madeDirs, target);
    if (error instanceof LocalStackError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new LocalStackError(
      `cannot write ${writing} (${code === 'EEXIST' ? 'it appeared while the project was being made' : (error as Error).message}): nothing of the project was left, your files are as they were`,
      { cause: error },
    );
  }
  // The ignore and attribute files get their lines last: an append cut short adds part of a line, it loses none.
  for (const file of merges) {
    const added = await mergeLines(sources.get(file) as string, join(target, file)).catch(
      (error: Error) => error,
    );
    if (added instanceof Error)
      notes.push(`could not add wmflow's lines to your ${file} (${added.message}); add them by hand`);
    else if (added) notes.push(`added wmflow's lines to your ${file}`);
  }
  for (const note of notes) process.stderr.write(`wmflow init: ${note}\n`);
  if (replaced.length > 0)
    process.stderr.write(`wmflow init: package.json scripts replaced: ${replaced.join(', ')}\n`);
  const runner = packageManager();
  const install = missingPackages(target, merged).length > 0 ? `  ${runner} install\n` : '';
  process.stderr.write(
    `wmflow init: created ${name} in ${dir}\n\nnext:\n${dir === '.' ? '' : `  cd ${dir}\n`}${install}  ${runner} test\n`,
  );
  return 0;
}

/**
 * The package manager running this command, as it says in `npm_config_user_agent` (`pnpm/9.15.9 npm/? node/…`):
 * `pnpm exec wmflow init` was told `npm install` (newcomer round 10). npm when none says.
 */
function packageManager(): 'npm' | 'pnpm' | 'yarn' {
  const name = /^([a-z]+)\//.exec(process.env.npm_config_user_agent ?? '')?.[1];
  return name === 'pnpm' || name === 'yarn' ? name : 'npm';
}

/** Whether anything is at `path`, a symlink included wherever it points (existsSync follows it). */
function there(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The file package.json is: itself, or what a symlink named so points at (a link to nothing is refused). */
async function manifestTarget(path: string): Promise<string> {
  if (!there(path) || !lstatSync(path).isSymbolicLink()) return path;
  return realpath(path).catch((error: unknown) => {
    throw new LocalStackError(
      `${path} is a link to nothing (${(error as Error).message}); choose a new folder`,
    );
  });
}

/** Removes the folders this run made (the topmost of each `mkdir -p`), where nothing else was put in them. */
async function removeEmptyDirs(tops: string[], target: string): Promise<void> {
  for (const top of tops.reverse()) {
    const entries = await readdir(top, { recursive: true, withFileTypes: true }).catch(() => undefined);
    if (entries === undefined || entries.some((e) => !e.isDirectory())) continue;
    const dirs = entries.map((e) => join(e.parentPath, e.name)).sort((a, b) => b.length - a.length);
    for (const d of [...dirs, top]) if (d !== target) await rmdir(d).catch(() => undefined);
  }
}

/**
 * The manifest's dependencies not installed where Node looks for them from the project (what `npm install` would
 * add): its own node_modules, then each folder's above it, where a monorepo's root installs its workspaces'
 * packages (newcomer round 9).
 */
function missingPackages(target: string, pkg: Manifest): string[] {
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  const folders = ancestors(target);
  return names.filter((n) => !folders.some((d) => existsSync(join(d, 'node_modules', n, 'package.json'))));
}

/**
 * The templates' files as the project names them (dot files with their dot, `/`-separated), each with the
 * path it is copied from: the first root that has it.
 */
async function templateFiles(roots: string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const root of roots) {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const path = join(entry.parentPath, entry.name);
      const file = relative(root, path).split(sep).join('/');
      const named = DOT_FILES.some((d) => file === d || file.startsWith(`${d}/`)) ? `.${file}` : file;
      if (!files.has(named)) files.set(named, path);
    }
  }
  return files;
}

// Appends the template's lines that the user's file lacks; true when it added any.
async function mergeLines(from: string, to: string): Promise<boolean> {
  const text = await readFile(to, 'utf8');
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = (await readFile(from, 'utf8'))
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !have.has(l.trim()));
  if (missing.length === 0) return false;
  await appendFile(to, `${text === '' || text.endsWith('\n') ? '' : '\n'}# wmflow\n${missing.join('\n')}\n`);
  return true;
}

/** The project's package.json: wmflow packages at this CLI's version, scripts for the engine. */
async function manifest(name: string, engine: 'workmail' | 'ses'): Promise<Record<string, unknown>> {
  const own = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const wmflow = `^${own.version}`;
  const replay = `wmflow replay mail${engine === 'ses' ? ' --engine ses' : ''} --handler src/handler.ts`;
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      replay,
      test: `${replay} --check`,
      typecheck: 'tsc',
      bundle: 'wmflow bundle src/handler.ts --out dist/handler --max-size 1m',
      deploy: 'npm run bundle && sam deploy --guided',
    },
    dependencies: { '@wmflow/core': wmflow, '@wmflow/rules': wmflow },
    devDependencies: { '@types/node': '^22.0.0', '@wmflow/local': wmflow, typescript: '^5.9.3' },
    engines: { node: '>=20.19' },
    // The install scripts @wmflow/local's dependencies run (esbuild's binary check, the local DynamoDB's
    // native store): npm 11 warns of scripts not listed here, and npm 12 skips them.
    allowScripts: { esbuild: true, 'classic-level': true },
  };
}

type Manifest = Record<string, unknown> & {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

async function readManifest(path: string): Promise<Manifest | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new LocalStackError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * An existing package.json (`npm init -y`, dependencies already installed) keeps its fields and
 * versions; it gets the project's scripts (replacing those of the same name) and `"type": "module"`
 * (the handler is an ES module).
 */
function mergeManifest(
  existing: Manifest | undefined,
  fresh: Manifest,
): { merged: Manifest; replaced: string[] } {
  if (!existing) return { merged: fresh, replaced: [] };
  const scripts = existing.scripts ?? {};
  const replaced = Object.keys(fresh.scripts ?? {}).filter(
    (k) => scripts[k] !== undefined && scripts[k] !== fresh.scripts?.[k],
  );
  return {
    merged: {
      ...existing,
      type: 'module',
      scripts: { ...scripts, ...fresh.scripts },
      dependencies: { ...fresh.dependencies, ...existing.dependencies },
      devDependencies: { ...fresh.devDependencies, ...existing.devDependencies },
      // A decision the project already made about a package's install script stands.
      allowScripts: { ...fresh.allowScripts, ...existing.allowScripts },
    },
    replaced,
  };
}

function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'wmflow-lambda' : name;
}
