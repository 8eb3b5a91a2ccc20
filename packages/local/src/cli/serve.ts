import { parseArgs } from 'node:util';
import { findMessageFiles } from '../load-eml.js';
import { startLocalStack } from '../stack.js';

/**
 * `wmflow serve`: starts the local stack (DynamoDB and its `RATE_TABLE` included), prints `export NAME=value` lines,
 * one `<messageId>\t<path>` line per loaded message and `ready`, then runs
 * until SIGINT or SIGTERM and stops cleanly (exit code 0).
 *
 * @example
 * ```ts
 * await serve(['--load', 'samples/eml', '--bucket', 'journal']);
 * ```
 */
export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      load: { type: 'string', multiple: true, default: [] },
      bucket: { type: 'string', multiple: true, default: [] },
      region: { type: 'string' },
    },
    strict: true,
  });
  const files = await findMessageFiles(values.load);
  const stack = await startLocalStack({
    ...(values.bucket.length > 0 ? { buckets: values.bucket } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  const lines = Object.entries(stack.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  lines.push(`export RATE_TABLE=${stack.dynamo.tables[0] ?? ''}`);
  for (const file of files) lines.push(`${await stack.flow.loadFile(file)}\t${file}`);
  lines.push('ready');
  process.stdout.write(`${lines.join('\n')}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await stack.stop();
  process.stderr.write(`wmflow serve: stopped on ${signal}\n`);
  return 0;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
