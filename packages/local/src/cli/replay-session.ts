import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Direction, Verdict } from '@wmflow/core';
import { DEFAULT_RATE_TABLE } from '../dynamo/rate-table.js';
import { LocalStackError } from '../errors.js';
import { type FaultSpec, parseFaultSpec } from '../faults/fault-spec.js';
import {
  bucketsNamedIn,
  envFileArgument,
  logicalIdOf,
  parseEnvPairs,
  readEnvFile,
} from '../replay/env-file.js';
import type { GivenVariable } from '../replay/env-reads.js';
import type { ExpectationBook } from '../replay/expect.js';
import { localDefaults } from '../replay/function-defaults.js';
import type { LoadedHandler } from '../replay/handler.js';
import { PREBUILT_FUNCTIONS } from '../replay/prebuilt-names.js';
import type { ReplayOptions } from '../replay/runner.js';
import type { VirtualClock } from '../replay/virtual-clock.js';
import type { LocalStack } from '../stack.js';
import { millisecondsOption } from './milliseconds.js';
import { orgDomains } from './org-domains.js';

/** Variables that would point the SDK at real AWS credentials. */
const SCRUBBED = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE'];

/** The flags of `wmflow replay`. */
const OPTIONS = {
  function: { type: 'string' },
  handler: { type: 'string' },
  built: { type: 'boolean', default: false },
  env: { type: 'string', multiple: true, default: [] },
  'env-file': { type: 'string' },
  'env-vars': { type: 'string' },
  direction: { type: 'string' },
  'mail-from': { type: 'string' },
  recipient: { type: 'string', multiple: true, default: [] },
  'org-domain': { type: 'string', multiple: true, default: [] },
  sync: { type: 'boolean', default: false },
  async: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  'load-timeout': { type: 'string' },
  fallback: { type: 'string', default: 'DEFAULT' },
  bucket: { type: 'string', multiple: true, default: [] },
  region: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  expect: { type: 'string', multiple: true, default: [] },
  progress: { type: 'boolean', default: false },
  logs: { type: 'boolean', default: false },
  summary: { type: 'boolean', default: false },
  faults: { type: 'string' },
  retries: { type: 'string' },
  'allow-failures': { type: 'boolean', default: false },
  engine: { type: 'string', default: 'workmail' },
  'ses-verdict': { type: 'string', multiple: true, default: [] },
  rate: { type: 'string' },
  start: { type: 'string' },
  dates: { type: 'boolean', default: false },
  jobs: { type: 'string', short: 'j', default: '1' },
} satisfies ParseArgsConfig['options'];

/**
 * The parsed flags and fixture paths of `wmflow replay`.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseReplayArgs(['samples/eml', '--function', 'guard', '-j', '2']);
 * ```
 */
export function parseReplayArgs(args: string[]) {
  return parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
}

export type ReplayValues = ReturnType<typeof parseReplayArgs>['values'];

/** Everything a replay process needs, worked out from the flags (and checked) before anything starts. */
export interface ResolvedReplay {
  label: string;
  engine: 'workmail' | 'ses';
  direction: Direction | undefined;
  synchronous: boolean | undefined;
  timeoutMs: number;
  /** The handler's configuration: `--env-file`, `--env`, org domains, local bucket defaults. */
  userEnv: Record<string, string>;
  domains: string[];
  buckets: string[];
  retries: number;
  faults: FaultSpec | undefined;
  clock: VirtualClock | undefined;
  /** The variables the user gave (`--env-file`, `--env`), to name one the handler passed over for a near one. */
  given?: readonly GivenVariable[];
  /** The local defaults replay set (a prebuilt function's buckets). */
  defaulted?: Readonly<Record<string, string>>;
  /** A `-j N` worker: the parent speaks. */
  quiet?: boolean;
}

/**
 * Checks the flags and works out the handler's environment; `quiet` leaves out the note on stderr
 * (workers of `-j N`: the parent already wrote it).
 *
 * @example
 * ```ts
 * const resolved = await resolveReplay(parseReplayArgs(args).values);
 * ```
 */
export async function resolveReplay(values: ReplayValues, quiet = false): Promise<ResolvedReplay> {
  const clock = await virtualClock(values);
  const engine = parseEngine(values.engine, values.direction);
  if ((values.function === undefined) === (values.handler === undefined)) {
    throw new LocalStackError('give one of --function <name> or --handler <module>[#export]');
  }
  if (values.sync && values.async) throw new LocalStackError('--sync and --async exclude each other');
  checkFunctionEngine(values.function, engine);
  if (engine !== 'ses' && values['ses-verdict'].length > 0)
    throw new LocalStackError('--ses-verdict sets what SES concluded: it needs --engine ses');
  const direction = parseDirection(values.direction);
  const synchronous = values.sync ? true : values.async ? false : undefined;
  const timeoutMs =
    values.timeout === undefined
      ? synchronous === false
        ? 120_000
        : engine === 'ses'
          ? 30_000
          : 15_000
      : millisecondsOption(values.timeout, '--timeout');

  const ids = values.function ? [logicalIdOf(values.function), values.function] : [];
  const envFile = envFileArgument(values);
  const fromFile = envFile ? await readEnvFile(envFile, ids) : {};
  const fromFlags = parseEnvPairs(values.env);
  const userEnv = { ...fromFile, ...fromFlags };
  const givenVariables: GivenVariable[] = [
    ...Object.keys(fromFile).map((name) => ({ name, from: envFile ?? '' })),
    ...Object.keys(fromFlags).map((name) => ({ name, from: '--env' })),
  ];
  let defaulted: Record<string, string> = {};
  const given = orgDomains(values['org-domain']);
  const domains = given.length > 0 ? given : splitList(userEnv.ORGANIZATION_DOMAINS);
  if (values['org-domain'].length > 0) userEnv.ORGANIZATION_DOMAINS = domains.join(',');
  if (values.function && synchronous !== undefined && userEnv.SYNCHRONOUS === undefined) {
    userEnv.SYNCHRONOUS = String(synchronous);
  }
  if (values.function) {
    const defaults = localDefaults(values.function, { ...process.env, ...userEnv });
    const shown = Object.entries(defaults).map(([k, v]) => `${k}=${v}`);
    if (shown.length > 0 && !quiet)
      process.stderr.write(`wmflow replay: local defaults ${shown.join(' ')}\n`);
    Object.assign(userEnv, defaults);
    defaulted = defaults;
  }
  // SES: the receipt rule's S3 action stores each message here; handlers read the same settings.
  if (engine === 'ses') {
    userEnv.STORED_BUCKET ||= 'wmflow-inbound';
    userEnv.STORED_KEY_PREFIX ||= 'inbound/';
  }
  const buckets = new Set<string>([...values.bucket, ...bucketsNamedIn(userEnv)]);
  if (buckets.size === 0) buckets.add('wmflow-local');
  // Rate settings without a table: count in the local default table, as the template would create one.
  if ((userEnv.STORM_GROUPS || userEnv.RATE_LIMITS) && !userEnv.RATE_TABLE)
    userEnv.RATE_TABLE = DEFAULT_RATE_TABLE;
  const retries = values.retries === undefined ? (values.faults ? 3 : 0) : Number(values.retries);
  if (!Number.isSafeInteger(retries) || retries < 0 || retries > 100)
    throw new LocalStackError('--retries: 0..100');
  const faults = values.faults === undefined ? undefined : parseFaultSpec(values.faults);
  return {
    label: handlerLabel(values),
    engine,
    direction,
    synchronous,
    timeoutMs,
    userEnv,
    domains,
    buckets: [...buckets],
    retries,
    faults,
    clock,
    given: givenVariables,
    defaulted,
    quiet,
  };
}

/** A running replay: the local stack, the handler, and the options of each message. */
export interface ReplaySession {
  stack: LocalStack;
  handler: LoadedHandler;
  options: Omit<ReplayOptions, 'files' | 'onResult' | 'signal'>;
  /** What to tell the user once the handler loaded (a given variable it passed over for a near one it read). */
  notes: string[];
  close(): Promise<void>;
}

/**
 * Starts the local stack in this process, sets the handler's environment (for good: once per process) and
 * imports the handler.
 *
 * @example
 * ```ts
 * const session = await openReplaySession(values, resolved, book);
 * await replayFile(session.options, 'samples/eml/01-plain.eml', new Set());
 * await session.close();
 * ```
 */
export async function openReplaySession(
  values: ReplayValues,
  r: ResolvedReplay,
  book: ExpectationBook,
): Promise<ReplaySession> {
  // Loaded here, not at the top: the parent of `replay -j N` forks its workers without loading them.
  const [
    { startLocalStack },
    { loadHandler },
    { S3Tracker },
    { parseSesVerdicts },
    { trackZeroDelayTimers },
    { misspeltSettings },
  ] = await Promise.all([
    import('../stack.js'),
    import('../replay/handler.js'),
    import('../replay/s3-tracker.js'),
    import('../ses/ses-event.js'),
    import('../replay/at-once.js'),
    import('../replay/env-reads.js'),
  ]);
  const rateTable = r.userEnv.RATE_TABLE ?? DEFAULT_RATE_TABLE;
  const stack = await startLocalStack({
    buckets: r.buckets,
    ...(values.region ? { region: values.region } : {}),
    ...(r.faults ? { faults: r.faults } : {}),
    rateTables: [...new Set([DEFAULT_RATE_TABLE, rateTable])],
  });
  const uninstallClock = r.clock?.install();
  for (const name of SCRUBBED) delete process.env[name];
  const tracker = S3Tracker.start(stack);
  // A zero-delay timer the handler leaves when it answers runs before its message is reported (fault round 95).
  const untrackTimers = trackZeroDelayTimers();
  const close = async () => {
    untrackTimers();
    uninstallClock?.();
    tracker.close();
    await stack.stop();
  };
  Object.assign(process.env, r.userEnv, stack.env);
  let handler: LoadedHandler;
  const read = new Set<string>();
  // A given variable the handler passed over for one of a near name it read: said with the load's error, or on
  // stderr (newcomer round 10).
  const misspelt = () =>
    misspeltSettings(r.given ?? [], read, values.function ? 'function' : 'handler', (name) =>
      r.defaulted?.[name] !== undefined
        ? `is the local default ${r.defaulted[name]}`
        : process.env[name] === undefined
          ? 'is not set'
          : 'is set in the environment',
    );
  try {
    handler = await loadHandler(
      {
        ...(values.function ? { function: values.function } : {}),
        ...(values.handler ? { handler: values.handler } : {}),
        built: values.built,
      },
      read,
    );
  } catch (error) {
    await close();
    const lines = misspelt();
    if (lines.length > 0 && error instanceof Error) error.message = `${error.message}; ${lines.join('; ')}`;
    throw error;
  }
  const clock = r.clock;
  const options: ReplaySession['options'] = {
    handler,
    stack,
    tracker,
    ...(r.direction ? { direction: r.direction } : {}),
    ...(values['mail-from'] !== undefined ? { mailFrom: values['mail-from'] } : {}),
    recipients: values.recipient,
    organizationDomains: r.domains,
    ...(r.synchronous !== undefined ? { synchronous: r.synchronous } : {}),
    timeoutMs: r.timeoutMs,
    fallback: parseFallback(values.fallback),
    ...(values.out ? { outDir: values.out } : {}),
    expectations: book,
    check: values.check,
    ...(r.engine === 'ses'
      ? {
          ses: {
            bucket: r.userEnv.STORED_BUCKET ?? 'wmflow-inbound',
            keyPrefix: r.userEnv.STORED_KEY_PREFIX ?? '',
            ...(values['ses-verdict'].length > 0
              ? { verdicts: parseSesVerdicts(values['ses-verdict']) }
              : {}),
          },
        }
      : {}),
    retries: r.retries,
    ...(clock ? { beforeInvoke: (message: Buffer) => clock.next(message) } : {}),
  };
  return { stack, handler, options, notes: r.quiet ? [] : misspelt(), close };
}

/** What the table calls the handler, as {@link loadHandler} names it. */
function handlerLabel(values: ReplayValues): string {
  if (values.function !== undefined) return values.function;
  const spec = values.handler ?? '';
  return spec.lastIndexOf('#') > 0 ? spec : `${spec}#handler`;
}

/** `--rate <msgs/s>` [`--start <time>`] or `--dates`: the virtual clock rate rules count by. */
async function virtualClock(values: {
  rate?: string;
  start?: string;
  dates?: boolean;
}): Promise<VirtualClock | undefined> {
  if (values.rate === undefined && !values.dates) {
    if (values.start !== undefined) throw new LocalStackError('--start needs --rate');
    return undefined;
  }
  const [{ parseMailDate }, { VirtualClock }] = await Promise.all([
    import('@wmflow/core'),
    import('../replay/virtual-clock.js'),
  ]);
  // Read as a Date: header is (no zone: UTC), so a replay gives the same times on every machine.
  const start = values.start === undefined ? undefined : parseMailDate(values.start);
  if (values.start !== undefined && start === undefined)
    throw new LocalStackError('--start: a date and time (ISO 8601, e.g. 2026-11-25T10:00:00Z)');
  return new VirtualClock({
    ...(values.rate !== undefined ? { rate: Number(values.rate) } : {}),
    ...(start !== undefined ? { start } : {}),
    fromDates: values.dates === true,
  });
}

function parseEngine(value: string, direction: string | undefined): 'workmail' | 'ses' {
  if (value !== 'workmail' && value !== 'ses') throw new LocalStackError('--engine: workmail or ses');
  if (value === 'ses' && direction !== undefined && direction.toUpperCase() !== 'INBOUND') {
    throw new LocalStackError('--engine ses: SES receipt rules see inbound mail only');
  }
  return value;
}

function parseDirection(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'INBOUND' && upper !== 'OUTBOUND')
    throw new LocalStackError('--direction: INBOUND or OUTBOUND');
  return upper;
}

/**
 * A rule's fallback action from its flag value.
 *
 * @example
 * ```ts
 * parseFallback('BOUNCE:Not now'); // { type: 'BOUNCE', message: 'Not now' }
 * ```
 */
export function parseFallback(value: string): Verdict {
  const [type, ...rest] = value.split(':');
  const upper = (type ?? '').toUpperCase();
  if (upper === 'BOUNCE') return { type: 'BOUNCE', message: rest.join(':') || 'Message not delivered.' };
  if (['DEFAULT', 'DROP', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK'].includes(upper))
    return { type: upper } as Verdict;
  throw new LocalStackError('--fallback: DEFAULT, DROP, MOVE_TO_JUNK, BYPASS_SPAM_CHECK or BOUNCE:<message>');
}

/**
 * A comma, semicolon or space separated list.
 *
 * @example
 * ```ts
 * splitList('corp.example, sub.corp.example'); // ['corp.example', 'sub.corp.example']
 * ```
 */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\s]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

/** A prebuilt function of the other engine answers an event it cannot read: say which to use instead. */
export function checkFunctionEngine(name: string | undefined, engine: 'workmail' | 'ses'): void {
  if (name === undefined || !PREBUILT_FUNCTIONS.includes(name)) return;
  const ses = name.endsWith('-ses');
  if (ses && engine !== 'ses')
    throw new LocalStackError(`--function ${name} runs on SES receipt rules: add --engine ses`);
  if (!ses && engine === 'ses' && PREBUILT_FUNCTIONS.includes(`${name}-ses`))
    throw new LocalStackError(`--function ${name} runs on WorkMail: on SES it is --function ${name}-ses`);
}
