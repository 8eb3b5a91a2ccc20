// One "all hands" message from an outside sender through a guard whose rate rules are on: the harness of the
// mail-storm and inbound rate-key rounds (attacker rounds 103 and 109).
import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { DEFAULT_RATE_TABLE, type LocalStack } from '@wmflow/local';
import { guard } from '../../guard/guard.js';
import { mail } from './attacker-kit.js';

/** A sender of messages through a guard built with each call's `env`; answers each recipient's verdict type. */
export function guardRateSender(stack: () => LocalStack, tag: string) {
  let serial = 0;
  return async (env: Record<string, string>, recipients: string[], mailFrom = 'x@evil.example') => {
    const n = `${tag}-${serial++}`;
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: 'updates',
      RATE_TABLE: DEFAULT_RATE_TABLE,
      ...env,
    });
    const messageId = stack().flow.load(
      mail([`From: ${mailFrom}`, `Subject: all hands ${n}`, 'Content-Type: text/plain'], 'Reply all!'),
    );
    const event = makeFlowEvent({ messageId, mailFrom, recipients });
    const response = (await handler(event, lambdaContext())) as FlowResponse;
    const verdicts = readResponse(response, recipients, 'INBOUND').verdicts;
    return recipients.map((r) => verdicts.get(r)?.type);
  };
}

/** STORM_GROUPS settings: `group`, more than two messages an hour. */
export const storm = (group: string) => ({ STORM_GROUPS: group, STORM_THRESHOLD: '2', STORM_WINDOW: '1h' });
