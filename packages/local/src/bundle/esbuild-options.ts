import type { BuildOptions } from 'esbuild';
import { lazyLibmime } from './lazy-libmime.js';
import { lazyWebStreams } from './lazy-web-streams.js';

/**
 * esbuild's CommonJS shim (`__require`) throws `Dynamic require of "buffer"` in an ESM bundle; a real
 * `require` made with `createRequire` lets bundled CommonJS code (mailparser, iconv-lite) load Node's modules.
 *
 * @example
 * ```ts
 * esbuildOptions('src/handler.ts', 'dist/handler', 'lambda').banner; // { js: REQUIRE_BANNER }
 * ```
 */
export const REQUIRE_BANNER =
  "import { createRequire as __wmflowCreateRequire } from 'node:module'; const require = __wmflowCreateRequire(import.meta.url);";

/** How a bundle is made: for Lambda (minified, linked source maps) or for a local run (readable, inline maps). */
export type BundleMode = 'lambda' | 'local';

/**
 * The one esbuild configuration of wmflow: ESM for Lambda's `nodejs22.x`, `index.mjs` plus lazily
 * loaded chunks (code reached only through `import()` — mailparser, mailsplit, SSO credentials — is not
 * loaded at cold start), the `createRequire` banner, and every dependency bundled, the AWS SDK included:
 * the SDK in the Lambda runtime is whatever version AWS ships that month, the bundled one is the version
 * you tested, and only the clients you import are included.
 *
 * @example
 * ```ts
 * await build(esbuildOptions('src/handler.ts', 'dist/handler', 'lambda'));
 * ```
 */
export function esbuildOptions(entry: string, outdir: string, mode: BundleMode): BuildOptions {
  const lambda = mode === 'lambda';
  return {
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Workspace packages point `wmflow-source` at their TypeScript source (used inside the wmflow repository).
    // `module` is esbuild's default, which a custom list drops: without it the AWS SDK and Smithy resolve to
    // their CommonJS builds, which cannot be tree-shaken (~280 KB more loaded at a guard's cold start).
    conditions: ['wmflow-source', 'module'],
    mainFields: ['module', 'main'],
    minify: lambda,
    sourcemap: lambda ? 'linked' : 'inline',
    sourcesContent: !lambda,
    legalComments: 'none',
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    plugins: [lazyWebStreams, lazyLibmime],
    logLevel: 'silent',
  };
}
