/**
 * Bundles the Step Functions backtest Lambda (template-backtest.yaml) into `dist/backtest/`: the batch
 * handler with the emulators (ESM, node22), and beside it a copy of the prebuilt function bundles
 * (`dist/functions/*`, from `npm run build`) so that `--function <name>` resolves inside the Lambda.
 *
 *   node --import tsx functions/build-backtest.ts
 */
import { cp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const out = join(ROOT, 'dist/backtest');
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: [join(ROOT, 'packages/local/src/backtest/lambda.ts')],
  outfile: join(out, 'index.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  conditions: ['wmflow-source'],
  // s3rver and its dependencies are CommonJS: give them require() inside the ESM bundle.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const functions = join(ROOT, 'dist/functions');
if (await stat(functions).catch(() => undefined))
  await cp(functions, join(out, 'dist/functions'), { recursive: true });
else
  process.stderr.write(
    'dist/functions is missing: run `npm run build` first, or backtest only --handler modules\n',
  );
process.stdout.write(`built ${join(out, 'index.mjs')}\n`);
