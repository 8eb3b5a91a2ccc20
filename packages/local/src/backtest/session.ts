import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { Verdict } from '@wmflow/core';
import { type GivenVariable, misspeltSettings } from '../replay/env-reads.js';
import { type HandlerSpec, loadHandler } from '../replay/handler.js';
import { S3Tracker } from '../replay/s3-tracker.js';
import { startLocalStack } from '../stack.js';
import { BACKTEST_STORED, createBacktester } from './engine.js';
import type { BacktestItem, BacktestLine } from './types.js';

/**
 * What a backtest process (a local worker or the batch Lambda) is set up with:
 * plain data, so it crosses process boundaries.
 *
 * @example
 * ```ts
 * const init: BacktestInit = { candidate: { function: 'guard' }, baseline: 'recorded', env: {}, organizationDomains: ['corp.example'], timeoutMs: 15_000 };
 * ```
 */
export interface BacktestInit {
  candidate: HandlerSpec;
  baseline?: HandlerSpec | 'recorded';
  /** The policies' configuration (`--env`, `--env-file`): set before they are imported. */
  env: Record<string, string>;
  organizationDomains: string[];
  timeoutMs: number;
  synchronous?: boolean;
  fallback?: Verdict;
  region?: string;
  /** The variables the user gave (`--env-file`, `--env`): one a policy passed over for a near one is named. */
  given?: readonly GivenVariable[];
}

/** Variables that could lead the SDK to real credentials, profiles or endpoints. */
const SCRUBBED = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];

/**
 * Starts the emulators in this process and points every AWS SDK client of the
 * policies at them: Message Flow and S3 at the local stack, any other service
 * at a loopback endpoint that refuses, no profile, no instance credentials.
 * Audit-safe: nothing a policy does reaches AWS. Changes `process.env` for good,
 * so call it once per process, after reading the real source.
 *
 * @example
 * ```ts
 * const session = await openBacktestSession(init);
 * const line = await session.backtest(item);
 * await session.close();
 * ```
 */
export async function openBacktestSession(
  init: BacktestInit,
): Promise<{ backtest(item: BacktestItem): Promise<BacktestLine>; close(): Promise<void> }> {
  // An sesFlow policy reads each message where its receipt rule's S3 action stored it: these settings, as replay's.
  const stored = {
    bucket: init.env.STORED_BUCKET || BACKTEST_STORED.bucket,
    keyPrefix: init.env.STORED_KEY_PREFIX || BACKTEST_STORED.keyPrefix,
  };
  const buckets = new Set(['wmflow-local']);
  for (const [key, value] of Object.entries(init.env)) {
    if (key.endsWith('_BUCKET') && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) buckets.add(value);
  }
  init = { ...init, env: { ...init.env, STORED_BUCKET: stored.bucket, STORED_KEY_PREFIX: stored.keyPrefix } };
  const stack = await startLocalStack({
    buckets: [...buckets],
    ...(init.region ? { region: init.region } : {}),
  });
  const tracker = S3Tracker.start(stack);
  const refuse = await refusingEndpoint();
  for (const name of SCRUBBED) delete process.env[name];
  Object.assign(process.env, init.env, stack.env, {
    AWS_ENDPOINT_URL: refuse.url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  if (init.organizationDomains.length > 0)
    process.env.ORGANIZATION_DOMAINS = init.organizationDomains.join(',');
  const close = async () => {
    tracker.close();
    await stack.stop();
    await new Promise((resolve) => refuse.server.close(resolve));
  };
  // Newcomer round 10: a given variable a policy did not read as it loaded, beside the near one it read.
  const read = new Set<string>();
  try {
    const candidate = await loadHandler(init.candidate, read);
    const baseline =
      init.baseline === undefined || init.baseline === 'recorded'
        ? init.baseline
        : await loadHandler(init.baseline, read);
    // The receipt rule's bucket exists only for an SES policy (a WorkMail one lists the buckets it was given).
    const ses = [candidate, baseline].some((h) => typeof h === 'object' && h.engine === 'ses');
    if (ses && !buckets.has(stored.bucket))
      await stack.s3.send(new CreateBucketCommand({ Bucket: stored.bucket }));
    const backtest = createBacktester({
      stack,
      tracker,
      candidate,
      ...(baseline ? { baseline } : {}),
      organizationDomains: init.organizationDomains,
      timeoutMs: init.timeoutMs,
      ...(init.synchronous !== undefined ? { synchronous: init.synchronous } : {}),
      ...(init.fallback ? { fallback: init.fallback } : {}),
      stored,
    });
    return { backtest, close };
  } catch (error) {
    await close();
    const lines = misspeltSettings(init.given ?? [], read, 'handler', (name) =>
      process.env[name] === undefined ? 'is not set' : 'is set',
    );
    if (lines.length > 0 && error instanceof Error) error.message = `${error.message}; ${lines.join('; ')}`;
    throw error;
  }
}

/** An endpoint for every other AWS service: each request is refused with a named error. */
async function refusingEndpoint(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'BacktestAuditSafe' });
    response.end(
      JSON.stringify({ message: 'wmflow backtest: only the emulated Message Flow and S3 answer' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
