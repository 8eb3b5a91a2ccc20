import { resetDefaultClients, resetSharedS3Client } from '@wmflow/core';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll } from 'vitest';
import { restoreEnv } from '../../../test-support/restore-env.js';

/**
 * Starts the local Message Flow emulator and S3 (bucket `updates`, or the given ones) for the file's tests and points the
 * prebuilt functions' default clients at them, as Lambda's environment would; restores everything after.
 *
 * @example
 * ```ts
 * const stack = useLocalStack();
 * it('…', () => stack().flow.load(bytes));
 * ```
 */
export function useLocalStack(buckets: readonly string[] = ['updates']): () => LocalStack {
  let stack: LocalStack | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    stack = await startLocalStack({ buckets: [...buckets] });
    Object.assign(process.env, stack.env, { AWS_S3_FORCE_PATH_STYLE: 'true' });
    resetDefaultClients();
    resetSharedS3Client();
  });
  afterAll(async () => {
    restoreEnv(saved);
    resetDefaultClients();
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('the local stack is not started yet');
    return stack;
  };
}
