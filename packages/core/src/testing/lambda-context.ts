import type { Context } from 'aws-lambda';

/**
 * A Lambda context for local invocations, whose remaining time counts down from `timeoutMs`.
 *
 * @example
 * ```ts
 * await handler(event, lambdaContext({ timeoutMs: 30_000 }));
 * ```
 */
export function lambdaContext(options: { timeoutMs?: number; functionName?: string } = {}): Context {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  const functionName = options.functionName ?? 'wmflow-local';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
