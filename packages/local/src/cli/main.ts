#!/usr/bin/env node
import { WmflowError } from '@wmflow/core';

/** A `wmflow` sub-command: takes its arguments, resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serve,
};

const USAGE = `usage: wmflow <command> [options]

commands:
  serve [--load <file|dir>]... [--bucket NAME]... [--region REGION]
        start the local Message Flow emulator and S3 server, print their environment, run until SIGINT/SIGTERM
`;

/**
 * Runs the `wmflow` command line with `argv` (without node and the script).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['serve', '--load', 'samples/eml']);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (!load) {
    process.stderr.write(
      name === undefined || name === '--help' ? USAGE : `wmflow: unknown command "${name}"\n${USAGE}`,
    );
    return name === '--help' ? 0 : 2;
  }
  try {
    return await (await load())(args);
  } catch (error) {
    if (!(error instanceof WmflowError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`wmflow ${name}: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
