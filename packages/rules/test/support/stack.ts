import { readFile } from 'node:fs/promises';
import type { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import type { Direction, FlowOptions, Rule } from '@wmflow/core';
import type { MakeFlowEventOptions } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import type { Context } from 'aws-lambda';
import { runFlow } from './run.js';

/** Root of the shared fixtures. */
export const EML_DIR = new URL('../../../../samples/eml/', import.meta.url);

/** Reads a fixture from samples/eml. */
export function eml(name: string): Promise<Buffer> {
  return readFile(new URL(name, EML_DIR));
}

/** The local Message Flow emulator and S3 server, with clients talking to them over loopback. */
export interface Harness {
  stack: LocalStack;
  messageFlow: WorkMailMessageFlowClient;
  /** Loads the message into the emulator and runs a flow over it with the harness clients. */
  run<D extends Direction>(
    rules: readonly Rule<D>[],
    message: Buffer | string,
    event?: MakeFlowEventOptions,
    options?: Partial<FlowOptions<D>>,
    context?: Context,
  ): ReturnType<typeof runFlow<D>> & Promise<{ messageId: string }>;
  stop(): Promise<void>;
}

/** Starts the local stack; call `stop()` in `afterAll`. */
export async function startHarness(buckets: string[] = ['journal']): Promise<Harness> {
  const stack = await startLocalStack({ buckets });
  const { messageFlow } = stack;
  return {
    stack,
    messageFlow,
    run: (async (rules, message, event = {}, options = {}, context = undefined) => {
      const messageId = stack.flow.load(typeof message === 'string' ? Buffer.from(message) : message);
      const result = await runFlow(
        rules,
        { ...event, messageId },
        {
          ...options,
          clients: { messageFlow, s3: stack.s3, ...options.clients },
        },
        context,
      );
      return { ...result, messageId };
    }) as Harness['run'],
    stop: () => stack.stop(),
  };
}
