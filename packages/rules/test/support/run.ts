import {
  type Direction,
  type FlowOptions,
  type FlowResponse,
  flow,
  type Rule,
  readResponse,
} from '@wmflow/core';
import { captureLogger, lambdaContext, type MakeFlowEventOptions, makeFlowEvent } from '@wmflow/core/testing';
import type { Context } from 'aws-lambda';

/** Runs a flow over a synthetic event (rules that read only the envelope) and reads the answer back. */
export async function runFlow<D extends Direction>(
  rules: readonly Rule<D>[],
  event: MakeFlowEventOptions = {},
  options: Partial<FlowOptions<D>> = {},
  context: Context = lambdaContext(),
) {
  const logger = captureLogger();
  const e = makeFlowEvent({ recipients: ['alice@corp.example', 'bob@corp.example'], ...event });
  const handler = flow({
    rules,
    organizationDomains: ['corp.example'],
    logger,
    ...options,
  } as FlowOptions<D> as FlowOptions);
  const response = (await handler(e, context)) as FlowResponse | undefined;
  const envelope = e.envelope.recipients.map((r) => r.address);
  const read = response ? readResponse(response, envelope, e.flowDirection) : undefined;
  const verdict = (r: string) => {
    const v = read?.verdicts.get(r);
    return v?.type === 'BOUNCE' ? `BOUNCE:${v.message}` : v?.type;
  };
  const line = logger.lines.at(-1);
  return { response, read, verdict, logger, line, outcome: line?.attributes ?? {} };
}
