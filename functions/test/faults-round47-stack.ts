import { resetDefaultClients } from '@wmflow/core';
import { startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll } from 'vitest';
import { type WiredStack, type WireProxy, wireProxy } from './faults-round47-wire.js';

/**
 * Starts a {@link WiredStack} before the file's tests and points the process's AWS endpoints at its proxies (the
 * stack's own clients stay direct, to check what was really stored); restores everything after them.
 */
export function wiredStack(buckets: string[], env: Record<string, string> = {}): WiredStack {
  const started = {} as { stack: WiredStack['stack']; s3w: WireProxy; floww: WireProxy };
  const saved = { ...process.env };
  beforeAll(async () => {
    started.stack = await startLocalStack({ buckets });
    started.s3w = await wireProxy(started.stack.env.AWS_ENDPOINT_URL_S3 as string);
    started.floww = await wireProxy(started.stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW as string);
    Object.assign(process.env, started.stack.env, {
      AWS_ENDPOINT_URL_S3: started.s3w.endpoint,
      AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: started.floww.endpoint,
      AWS_MAX_ATTEMPTS: '3',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...env,
    });
    resetDefaultClients();
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    resetDefaultClients();
    await started.s3w?.close();
    await started.floww?.close();
    await started.stack?.stop();
  });
  return started;
}
