import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles bench handlers the way Lambda code is shipped (minified ESM, SDK
 * included, node22), so the measured process loads no TypeScript tooling.
 */
export async function bundleHandlers(entries: readonly string[]): Promise<Map<string, string>> {
  const outdir = await mkdtemp(join(tmpdir(), 'wmflow-bench-'));
  await build({
    entryPoints: entries.map((e) => ({ in: e, out: basename(e, '.ts') })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: process.env.BENCH_NO_MINIFY !== '1',
    outExtension: { '.js': '.mjs' },
    conditions: ['wmflow-source'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  return new Map(entries.map((e) => [basename(e, '.ts'), join(outdir, `${basename(e, '.ts')}.mjs`)]));
}
