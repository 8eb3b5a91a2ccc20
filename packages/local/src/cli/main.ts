#!/usr/bin/env node
import { createRequire } from 'node:module';
import { WmflowError } from '@wmflow/core/errors';
import { engineArgs } from './engine.js';
import { endWhenHeldOpen } from './held-open.js';
import { outputCut, writeWholeWhenFile } from './whole-writes.js';

/** A `wmflow` sub-command: takes its arguments, resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serve,
  replay: async () => (await import('./replay.js')).replay,
  event: async () => (await import('./event.js')).event,
  backtest: async () => (await import('./backtest.js')).backtest,
  bundle: async () => (await import('./bundle.js')).bundle,
  init: async () => (await import('./init.js')).init,
  quarantine: async () => (await import('./quarantine.js')).quarantine,
};

const USAGE = `usage: wmflow <command> [options]     (wmflow --version prints the version)

commands:
  serve [--load <file|dir>]... [--bucket NAME]... [--region REGION] [--host IPV4] [--env-json FILE] [--engine ses]
        start the local Message Flow emulator, S3 and DynamoDB servers, print their environment, run until SIGINT/SIGTERM
        --env KEY=VALUE  a variable for the function: in the export lines and the --env-json file
                         (one ending in _BUCKET gets its bucket, as in replay)
  replay <file|dir>... (--function NAME | --handler MODULE[#export]) [options]
        run a handler against .eml fixtures on the local emulators and print what it did
        (https://github.com/wmflow/wmflow/blob/main/docs/replay.md)
        --env KEY=VALUE  --env-file|--env-vars FILE  --direction D  --mail-from A  --recipient A
        --sync|--async  --timeout MS  --fallback T  --bucket B  --built  --out DIR  --json  --check
        --org-domain D  --expect MANIFEST  --summary  --progress  --logs  --allow-failures  --region REGION
        --faults SPEC (seeded faults between handler and stack; see the replay docs)  --retries N
        --engine ses  --ses-verdict spam|virus|spf|dkim|dmarc=PASS|FAIL|GRAY|PROCESSING_FAILED,dmarc-policy=P
                  replay on SES receipt rules (S3 action + Lambda action) instead of WorkMail
        --rate MSGS_PER_S [--start TIME] | --dates   virtual clock for rate rules (a burst, or Date: headers)
        -j N  replay in N worker processes; same output order and exit code as -j 1
              (--load-timeout MS: a worker that has not loaded the handler by then fails the run; default 120000)
  event <file.eml> [--direction D] [--mail-from A] [--recipient A]... [--org-domain D]... [--message-id ID]
        print the WorkMail event for a message (for sam local invoke -e)
        --engine ses [--ses-verdict K=V]...: print the SES receipt rule Lambda action's event instead
  bundle <handler.ts> [--out DIR] [--max-size SIZE] [--max-total SIZE]
        bundle a handler for Lambda nodejs22.x (DIR/index.mjs, lazy chunks) and report its size
  init [DIR] [--engine ses]
        create a project: a handler with two rules, sample mail, expectations, template.yaml, CI
        --engine ses: for Amazon SES receipt rules (rules in src/rules.ts, sesFlow handler, SES stack)
  quarantine list <s3://bucket/quarantine/> [--json] [--reasons <s3://bucket/held/>] |
             show <s3://bucket/key> [--etag ETAG] |
             release <s3://bucket/key>... [--etag ETAG]... --to <s3://bucket/delivered/>
        what the SES guard quarantined: list it (header block, and why the guard held it), print one message,
        release (copy) it
        (--etag, one per message as list prints it: show or release that object only, not one stored since)
        (--request-timeout MS: an S3 request with no answer for MS ms fails, after the SDK's retries; default 60000)
        (https://github.com/wmflow/wmflow/blob/main/docs/moving-off-workmail.md#quarantine-and-delivery)
  backtest <folder|s3://bucket/prefix> (--function NAME | --handler MODULE) [--against (--function NAME |
        --handler MODULE | recorded)] [-j N] [--resume FILE] [--report FILE.html] [--remote ARN]
        replay journaled messages through a policy, compare with another, JSON lines
        --env KEY=VALUE  --env-file|--env-vars FILE  --org-domain D  --built  --sync|--async  --timeout MS
        --fallback T  --region REGION  --progress  --logs
        (--load-timeout MS: a worker that has not loaded the policies by then fails the run; default 120000)
        (--request-timeout MS: an S3 request with no answer for MS ms fails, after the SDK's retries; default 60000)
        (https://github.com/wmflow/wmflow/blob/main/docs/backtest.md)
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
  quietNodeVersionWarning();
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const load = name === undefined ? undefined : COMMANDS[name];
  // `wmflow replay --help` asks for the usage, not for a replay.
  if (load && (args.includes('--help') || args.includes('-h'))) {
    process.stderr.write(usageOf(name as string));
    return 0;
  }
  if (!load) {
    process.stderr.write(
      name === undefined || name === '--help'
        ? USAGE
        : `wmflow: unknown command "${name}"${await meant(name)}\n${USAGE}`,
    );
    return name === '--help' ? 0 : 2;
  }
  try {
    return await (await load())(engineArgs(args));
  } catch (error) {
    const setup = awsSetupProblem(error);
    if (setup) {
      process.stderr.write(`wmflow ${name}: ${setup}\n`);
      return 1;
    }
    if (!(error instanceof WmflowError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`wmflow ${name}: ${(await unknownOption(error, name ?? '')) ?? error.message}\n`);
    return 1;
  }
}

/**
 * node:util's parseArgs refuses an unknown option with a paragraph about `--` and positionals; a mistyped
 * option (`--chek`) is said in one line instead.
 */
async function unknownOption(error: Error, command: string): Promise<string | undefined> {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const option = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (!option) return undefined;
  // The option of this command a mistyped one most likely meant, as a rule's options say it (newcomer round 7).
  const hint = HINTS[command]?.[option];
  const near = hint || !option.startsWith('--') ? undefined : await nearest(option, optionsOf(command));
  return `unknown option ${option} (${hint ?? (near ? `did you mean ${near}? ` : '')}wmflow --help lists the options)`;
}

/**
 * Options of another command, or another tool's words, that a newcomer gives a command (newcomer round 11): said what
 * the command takes instead, where the nearest spelling would name nothing or the wrong option.
 */
const HINTS: Record<string, Record<string, string>> = {
  backtest: {
    '--baseline': 'did you mean --against? ',
    '--engine':
      'backtest runs each policy on its own engine: an sesFlow handler, guard-ses and archiver-ses on SES, the others on WorkMail; ',
  },
};

/** The usage lines of `command`: from its own to the next command's. */
function blockOf(command: string): string {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^ {2}[a-z]/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The long options the usage lists for `command`. */
function optionsOf(command: string): string[] {
  return [...new Set(blockOf(command).match(/--[a-z][a-z0-9-]*/g) ?? [])];
}

/** `wmflow <command> --help`: that command's usage alone (newcomer round 9: it printed every command's). */
function usageOf(command: string): string {
  return `usage: wmflow ${blockOf(command).trimStart().trimEnd()}\n(wmflow --help lists every command)\n`;
}

/** ` (did you mean replay?)` for a mistyped command, or nothing. */
async function meant(name: string): Promise<string> {
  const near = await nearest(name, Object.keys(COMMANDS));
  return near ? ` (did you mean ${near}?)` : '';
}

/** Core's suggestion, loaded on this error path only: core's index would add ~0.2 s to every command's start. */
async function nearest(name: string, known: readonly string[]): Promise<string | undefined> {
  return (await import('@wmflow/core')).nearestName(name, known);
}

/** What the AWS configuration lacks, for a command that reaches AWS (an s3:// source, --remote). */
function awsSetupProblem(error: unknown): string | undefined {
  const { name, message } = error as { name?: string; message?: string };
  if (message === 'Region is missing' || message?.startsWith('Region not accepted: region=""'))
    return 'no AWS region: set AWS_REGION (or AWS_PROFILE, with a profile that names one)';
  if (name === 'CredentialsProviderError')
    return `no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${message ?? ''})`;
  return undefined;
}

/**
 * The AWS SDK warns on Node 20 when its first client is made (Node 20 is a
 * deliberate choice, see DESIGN); the CLI keeps stderr for what matters.
 * Setting the SDK's own switch beforehand turns it off, unless the user set it.
 */
function quietNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

function packageVersion(): string {
  // ../../package.json from both src/cli and dist/cli.
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

// A reader that stops early (`wmflow replay --json | head`): stop with a line saying so, not a stack trace. The
// work was not all reported, so the exit code is 1 (a script must not take it for a full run).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') {
    // A file that takes no more (disk full, file-size limit): what was written is cut, whatever the command did.
    if (process.stdout.listenerCount('error') > 1) return;
    outputCut('', error);
  }
  // A command that handles it itself (replay stops its run and reports how far it got) does so.
  if (process.stdout.listenerCount('error') > 1) return;
  process.stderr.write('wmflow: stdout was closed by its reader (EPIPE): stopped\n');
  process.exit(1);
});
// Output sent to a file is written whole or the command fails (fault round 58: Node took a cut write for whole).
writeWholeWhenFile(process.stdout);
const argv = process.argv.slice(2);
process.exitCode = await main(argv);
// A handler module that left a timer or socket open must not keep `replay -j 1`, which loaded it in this process,
// running after its work is done (fault round 57); workers (replay -j N, backtest) end the same way (serve-worker.ts).
if (argv[0] === 'replay') endWhenHeldOpen(argv[0], process.exitCode);
