import { basename, join } from 'node:path';
import { esbuildOptions } from '@wmflow/local';
import { build } from 'esbuild';

/**
 * Bundles each bench handler into its own folder the way `wmflow bundle` ships a Lambda (wmflow's one
 * esbuild configuration: minified ESM for nodejs22.x, lazily loaded chunks, the SDK included), wmflow's,
 * the baselines' and the floors' alike, so the measured process loads no TypeScript tooling and the
 * comparison is of code, not of bundlers. `BENCH_NO_MINIFY=1` keeps them readable for profiles. Each goes
 * to `root/<name>/index.mjs`.
 */
export async function bundleHandlers(entries: readonly string[], root: string): Promise<Map<string, string>> {
  const mode = process.env.BENCH_NO_MINIFY === '1' ? 'local' : 'lambda';
  const built = await Promise.all(
    entries.map(async (entry) => {
      const name = basename(entry, '.ts');
      const outdir = join(root, name);
      await build({
        ...esbuildOptions(entry, outdir, mode),
        ...(mode === 'local' ? { sourcemap: false } : {}),
      });
      return [name, join(outdir, 'index.mjs')] as const;
    }),
  );
  return new Map(built);
}
