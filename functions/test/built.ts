import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BundleReport, buildFunctions } from '../build.js';

const run = promisify(execFile);

/** The functions bundled into a temporary folder (what `npm run build` makes, not the sources). */
export interface Built {
  outdir: string;
  reports: BundleReport[];
  remove(): Promise<void>;
}

/**
 * Bundles every function into a fresh temporary folder.
 *
 * @example
 * ```ts
 * const built = await buildToTemp();
 * join(built.outdir, 'guard/index.mjs');
 * ```
 */
export async function buildToTemp(): Promise<Built> {
  const outdir = await mkdtemp(join(tmpdir(), 'wmflow-functions-'));
  const reports = await buildFunctions({ outdir });
  return { outdir, reports, remove: () => rm(outdir, { recursive: true, force: true }) };
}

/**
 * Runs a script in a fresh `node` process with exactly `env` (plus PATH): bundles create their
 * SDK clients from the environment at cold start, as in Lambda.
 *
 * @example
 * ```ts
 * const { stdout } = await runNode('console.log(1)', { JOURNAL_BUCKET: 'journal' });
 * ```
 */
export async function runNode(
  script: string,
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
}

const MARKER = '@@wmflow-result ';

/**
 * Cold-starts a built function in a fresh `node` process with `env` and invokes its handler once per
 * event, in order (a Lambda container handling successive events), with a 15 s Lambda context.
 * Returns each response (or the error's name and message) and the process's log lines.
 *
 * @example
 * ```ts
 * const { results } = await invokeBundle(built, 'guard', { ...stack.env, UPDATES_BUCKET: 'updates' }, [event]);
 * ```
 */
export async function invokeBundle(
  built: Built,
  name: string,
  env: Record<string, string>,
  events: readonly unknown[],
): Promise<{ results: Invocation[]; logs: string[] }> {
  const file = join(built.outdir, name, 'index.mjs');
  const script = `
    const { handler } = await import(${JSON.stringify(file)});
    const events = JSON.parse(process.env.WMFLOW_TEST_EVENTS);
    const results = [];
    for (const event of events) {
      const started = Date.now();
      const context = {
        functionName: ${JSON.stringify(name)}, functionVersion: '$LATEST', awsRequestId: crypto.randomUUID(),
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:${name}', memoryLimitInMB: '1024',
        logGroupName: '/aws/lambda/${name}', logStreamName: 'local', callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => Math.max(0, 15000 - (Date.now() - started)),
      };
      try { results.push({ response: (await handler(event, context)) ?? null }); }
      catch (e) { results.push({ error: { name: e.name, message: e.message } }); }
    }
    console.log(${JSON.stringify(MARKER)} + JSON.stringify(results));
  `;
  const { stdout, stderr } = await runNode(script, { ...env, WMFLOW_TEST_EVENTS: JSON.stringify(events) });
  const lines = `${stdout}\n${stderr}`.split('\n').filter((l) => l.trim() !== '');
  const result = lines.find((l) => l.startsWith(MARKER));
  if (!result) throw new Error(`no result from ${name}:\n${lines.join('\n')}`);
  return { results: JSON.parse(result.slice(MARKER.length)), logs: lines.filter((l) => l !== result) };
}

/** One invocation's outcome: the handler's response (null for none), or the error it threw. */
export interface Invocation {
  // biome-ignore lint/suspicious/noExplicitAny: WorkMail responses are checked by the tests
  response?: any;
  error?: { name: string; message: string };
}
