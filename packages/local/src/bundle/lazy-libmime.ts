import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { build as esbuild, type Plugin } from 'esbuild';
import { charsetShimSource, mimetypesShimSource } from './libmime-stand-ins.js';

const LIBMIME = /[\\/]libmime[\\/]dist[\\/]cjs[\\/]/;
const NAMESPACE = 'wmflow-libmime';
const LOCATOR = 'wmflow-bundle-file';
// libmime's modules that load behind a stand-in, by file name: the stand-in's source, given the real file and
// the expression that loads it.
const STAND_INS: Record<string, (real: string, load: string) => string> = {
  'charset.js': charsetShimSource,
  'mimetypes.js': (_real, load) => mimetypesShimSource(load),
};

/**
 * What libmime costs at the first parse of a message, cut by this plugin:
 * - libmime ships an ES module and a CommonJS build; mailsplit `require`s one and wmflow imports the other,
 *   so a bundle held, loaded and ran it twice. Every import of `libmime` now resolves to the CommonJS build.
 * - Its `charset.js` loads iconv-lite and encoding-japanese (~570 KB) and builds their codecs when it loads
 *   (~30 ms), though UTF-8, ASCII and windows-1252 need neither; its `mimetypes.js` (70 KB of tables) serves
 *   only file names without a type. Each has a stand-in (see `charsetShimSource`), and the real module goes,
 *   bundled with what it imports, into a CommonJS file of its own (`chunks/libmime-<name>-<hash>.cjs`),
 *   read and run only when first needed.
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [lazyLibmime] });
 * ```
 */
export const lazyLibmime: Plugin = {
  name: 'wmflow-lazy-libmime',
  setup(build) {
    const options = build.initialOptions;
    const cwd = options.absWorkingDir ?? process.cwd();
    const root = resolve(cwd, options.outdir ?? dirname(options.outfile ?? 'out.js'));
    // Real module → the file it is bundled into. A build that writes no files keeps the real modules inside
    // the bundle instead, still run only when first needed.
    const separate = new Map<string, string>();
    const ownFiles = options.write !== false && (options.outdir ?? options.outfile) !== undefined;

    build.onResolve({ filter: /^libmime(\/|$)/ }, async (args) => {
      if (args.kind === 'require-call' || args.pluginData === NAMESPACE) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: 'require-call',
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: NAMESPACE,
      });
      if (resolved.errors.length > 0) return undefined;
      return standIn(resolved.path) ?? { path: resolved.path };
    });
    // libmime's own `require("./charset.js")`, `require("./mimetypes.js")`.
    build.onResolve({ filter: /^\.\/\w+\.js$/ }, (args) =>
      LIBMIME.test(args.importer) ? standIn(join(dirname(args.importer), args.path)) : undefined,
    );
    build.onResolve({ filter: new RegExp(`^${LOCATOR}$`) }, () => ({ path: LOCATOR, namespace: NAMESPACE }));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      if (args.path === LOCATOR) return { contents: LOCATOR_SOURCE, loader: 'js', resolveDir: root };
      let load = `require(${JSON.stringify(args.path)})`;
      if (ownFiles) {
        // Named by content, so that a build is the same wherever the repository lies.
        const hash = createHash('sha256').update(readFileSync(args.path)).digest('hex').slice(0, 8);
        const file = `chunks/libmime-${basename(args.path, '.js')}-${hash}.cjs`;
        separate.set(args.path, file);
        load = `require(require(${JSON.stringify(LOCATOR)}).bundleFile(${JSON.stringify(file)}))`;
      }
      const source = STAND_INS[basename(args.path)]?.(args.path, load) ?? '';
      return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
    });
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      for (const [real, file] of separate) {
        const out = await esbuild({
          entryPoints: [real],
          outfile: join(root, file),
          absWorkingDir: cwd,
          bundle: true,
          format: 'cjs',
          platform: 'node',
          ...(options.target ? { target: options.target } : {}),
          minify: options.minify ?? false,
          legalComments: 'none',
          metafile: true,
          logLevel: 'silent',
        });
        // Counted with the bundle's other files (sizes, budgets): same working directory, same keys.
        if (result.metafile) Object.assign(result.metafile.outputs, out.metafile.outputs);
      }
    });
  },
};

// A file of the bundle by its path from index.mjs (whose chunks are in `chunks/`), from any of its chunks.
const LOCATOR_SOURCE = `import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
const here = dirname(fileURLToPath(import.meta.url));
const root = basename(here) === "chunks" ? dirname(here) : here;
export const bundleFile = (name) => join(root, name);
`;

function standIn(path: string) {
  return LIBMIME.test(path) && STAND_INS[basename(path)] ? { path, namespace: NAMESPACE } : undefined;
}
