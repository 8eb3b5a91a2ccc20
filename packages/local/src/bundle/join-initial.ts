import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, parse, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { rolldown } from 'rolldown';

/**
 * Joins the chunks a cold start loads into one, keeping the lazily loaded ones apart.
 *
 * esbuild splits code that the entry shares with lazily loaded code into one chunk per set of importers, so a
 * prebuilt function's `index.mjs` imported 43 chunks, some of 170 bytes. Node loads each ES module on its own
 * (resolve, read, compile, link): about 0.2–0.4 ms apiece on Lambda-sized CPUs, a sixth of a guard's cold start.
 * Every chunk `index.mjs` reaches by static imports runs at init anyway, so rolldown bundles esbuild's output once
 * more with those chunks in one group (`chunks/init-<hash>.mjs`); the chunks only `import()` reaches keep
 * rolldown's own split. esbuild's source maps are read in, so the joined maps still point at the sources.
 * libmime's CommonJS files (`chunks/*.cjs`, loaded by path, see `lazyLibmime`) are copied as they are.
 *
 * Returns the outputs as esbuild's metafile names them (sizes and static imports), for the bundle's report.
 */
export async function joinInitialChunks(dir: string, metafile: Metafile): Promise<Metafile> {
  const root = parse(dir).root;
  const index = join(dir, 'index.mjs');
  const initial = staticClosure(index, metafile, root);
  const joined = `${dir}-joined`;
  await rm(joined, { recursive: true, force: true });
  try {
    const bundle = await rolldown({
      input: { index },
      platform: 'node',
      // esbuild bundled every package: what is left to import is Node's own.
      external: (id) => !id.startsWith('.') && !id.startsWith('/'),
      plugins: [
        {
          name: 'wmflow-esbuild-maps',
          async load(id) {
            const code = await readFile(id, 'utf8');
            const map = await readFile(`${id}.map`, 'utf8').catch(() => undefined);
            return map === undefined ? code : { code, map };
          },
        },
      ],
      logLevel: 'silent',
    });
    const { output } = await bundle.write({
      dir: joined,
      format: 'esm',
      minify: true,
      sourcemap: true,
      sourcemapExcludeSources: true,
      comments: { legal: false },
      hashCharacters: 'base36',
      entryFileNames: '[name].mjs',
      // esbuild's names already end in a hash of their own: one is enough.
      chunkFileNames: (chunk) => `chunks/${chunk.name.replace(/-[A-Z0-9]{8}$/, '')}-[hash].mjs`,
      codeSplitting: {
        groups: [{ name: 'init', test: (id) => resolve(id) !== index && initial.has(resolve(id)) }],
      },
    });
    await bundle.close();
    const outputs: Metafile['outputs'] = {};
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue;
      const file = join(dir, chunk.fileName);
      outputs[relative(root, file)] = {
        bytes: (await stat(join(joined, chunk.fileName))).size,
        inputs: {},
        exports: chunk.exports,
        imports: [
          ...chunk.imports.map((i) => ({
            path: relative(root, join(dir, i)),
            kind: 'import-statement' as const,
          })),
          ...chunk.dynamicImports.map((i) => ({
            path: relative(root, join(dir, i)),
            kind: 'dynamic-import' as const,
          })),
        ],
      };
    }
    for (const name of await readdir(join(dir, 'chunks')).catch(() => [] as string[])) {
      if (!name.endsWith('.cjs')) continue;
      await mkdir(join(joined, 'chunks'), { recursive: true });
      await copyFile(join(dir, 'chunks', name), join(joined, 'chunks', name));
      const file = join(dir, 'chunks', name);
      outputs[relative(root, file)] = {
        bytes: (await stat(file)).size,
        inputs: {},
        exports: [],
        imports: [],
      };
    }
    await rm(dir, { recursive: true, force: true });
    await rename(joined, dir);
    return { inputs: metafile.inputs, outputs };
  } catch (error) {
    await rm(joined, { recursive: true, force: true });
    throw error;
  }
}

/** The files `entry` imports statically, itself included, as esbuild's metafile lists them. */
function staticClosure(entry: string, metafile: Metafile, root: string): Set<string> {
  // esbuild's keys use forward slashes on every platform: compared as resolved paths.
  const outputs = new Map(Object.entries(metafile.outputs).map(([file, out]) => [resolve(root, file), out]));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs.get(file)?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(resolve(root, i.path));
  };
  visit(entry);
  return seen;
}
