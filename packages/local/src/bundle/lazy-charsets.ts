import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { charsetShimSource } from './charset-shim.js';

const LIBMIME = /[\\/]libmime[\\/]dist[\\/]cjs[\\/]/;
const NAMESPACE = 'wmflow-charset';

/**
 * Two costs of libmime at the first parse of a message, both avoided by this plugin:
 * - libmime ships an ES module and a CommonJS build; mailsplit `require`s one and wmflow imports the other,
 *   so a bundle held, loaded and ran it twice. Every import of `libmime` now resolves to the CommonJS build.
 * - libmime's `charset.js` loads iconv-lite and encoding-japanese (~570 KB) and builds their codecs when it
 *   loads (~30 ms), though UTF-8, ASCII and ISO-8859-1 need neither. A stand-in decodes those with Node's own
 *   decoders and loads the real module on the first other charset (see `charsetShimSource`).
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [lazyCharsets] });
 * ```
 */
export const lazyCharsets: Plugin = {
  name: 'wmflow-lazy-charsets',
  setup(build) {
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
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: charsetShimSource(args.path),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

function isCharset(path: string): boolean {
  return LIBMIME.test(path) && /[\\/]charset\.js$/.test(path);
}

function shim(path: string) {
  return { path, namespace: NAMESPACE };
}
