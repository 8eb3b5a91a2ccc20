import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { build as esbuild, type Plugin } from 'esbuild';
import { charsetShimSource } from './charset-shim.js';

const LIBMIME = /[\\/]libmime[\\/]dist[\\/]cjs[\\/]/;
const NAMESPACE = 'wmflow-charset';
const LOCATOR = 'wmflow-charset-file';

/**
 * Two costs of libmime at the first parse of a message, both avoided by this plugin:
 * - libmime ships an ES module and a CommonJS build; mailsplit `require`s one and wmflow imports the other,
 *   so a bundle held, loaded and ran it twice. Every import of `libmime` now resolves to the CommonJS build.
 * - libmime's `charset.js` loads iconv-lite and encoding-japanese (~570 KB) and builds their codecs when it
 *   loads (~30 ms), though UTF-8, ASCII and windows-1252 need neither. A stand-in decodes those itself
 *   (see `charsetShimSource`); the real module goes, bundled with iconv-lite, into a file of its own
 *   (`chunks/libmime-charset-<hash>.cjs`), which is read and run only on the first other charset.
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [lazyCharsets] });
 * ```
 */
export const lazyCharsets: Plugin = {
  name: 'wmflow-lazy-charsets',
  setup(build) {
    const options = build.initialOptions;
    const cwd = options.absWorkingDir ?? process.cwd();
    const root = resolve(cwd, options.outdir ?? dirname(options.outfile ?? 'out.js'));
    // Real charset.js → the file it is bundled into.
    const full = new Map<string, string>();

    build.onResolve({ filter: /^libmime(\/|$)/ }, async (args) => {
      if (args.kind === 'require-call' || args.pluginData === NAMESPACE) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: 'require-call',
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: NAMESPACE,
      });
      if (resolved.errors.length > 0) return undefined;
      return isCharset(resolved.path) ? shim(resolved.path) : { path: resolved.path };
    });
    // libmime's own `require("./charset.js")`.
    build.onResolve({ filter: /^\.\/charset\.js$/ }, (args) =>
      LIBMIME.test(args.importer) ? shim(join(dirname(args.importer), 'charset.js')) : undefined,
    );
    build.onResolve({ filter: new RegExp(`^${LOCATOR}$`) }, () => ({ path: LOCATOR, namespace: NAMESPACE }));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      if (args.path === LOCATOR) return { contents: LOCATOR_SOURCE, loader: 'js', resolveDir: root };
      const file = `chunks/libmime-charset-${createHash('sha256').update(args.path).digest('hex').slice(0, 8)}.cjs`;
      full.set(args.path, file);
      const load = `require(require(${JSON.stringify(LOCATOR)}).bundleFile(${JSON.stringify(file)}))`;
      return { contents: charsetShimSource(args.path, load), loader: 'js', resolveDir: dirname(args.path) };
    });
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      for (const [real, file] of full) {
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

function isCharset(path: string): boolean {
  return LIBMIME.test(path) && /[\\/]charset\.js$/.test(path);
}

function shim(path: string) {
  return { path, namespace: NAMESPACE };
}
