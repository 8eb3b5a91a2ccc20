#!/usr/bin/env node
// `npm create wmflow [DIR]` runs this: `wmflow init [DIR]` of @wmflow/local.
import { init } from '@wmflow/local/init';

try {
  process.exitCode = await init(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`create-wmflow: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
