import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { proxyBefore } from './scripted-proxy.js';

// guard-ses bouncing a message with a blocked attachment behind a scripted S3 proxy, for the bounce-claim fault rounds
// (81, 82, 83): bounces are counted at the SES emulator, S3's faults are played by the proxy in S3's own shape.

/** The bucket the receipt rule's S3 action stores mail in. */
export const BUCKET = 'inbound-mail';

/** guard-ses's settings in these tests. */
export const ENV = {
  STORED_BUCKET: BUCKET,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ORGANIZATION_DOMAINS: 'corp.example',
};

/** A flow outcome with the bounce guard-ses reports. */
export type Bounced = FlowOutcome & { bounce?: { status: string; reason?: string; claim?: string } };

/** Whether a request's URL names a bounce claim (`held/<messageId>.<rule>.bounce.json`). */
export const isClaim = (url: string | undefined) => /\/held\/[^/]+\.bounce\.json/.test(url ?? '');

/**
 * The local stack behind a scripted S3 proxy for the file's tests: `received` stores a message with an executable
 * attachment as the receipt rule would and gives its event, `invoke` runs a fresh guard-ses on an event, `watch`
 * collects the flow outcomes of one message.
 *
 * @example
 * ```ts
 * const { t, received, invoke } = sesClaimKit();
 * const { id, event } = await received();
 * await invoke(event);
 * expect(t.stack.ses.bounces(id)).toHaveLength(1);
 * ```
 */
export function sesClaimKit() {
  const t = proxyBefore('S3', [BUCKET]);
  async function received(): Promise<{ id: string; event: unknown }> {
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
    t.stack.ses.receive(id);
    return { id, event: makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }) };
  }
  /** One invocation of a fresh guard-ses for the event. */
  async function invoke(event: unknown): Promise<unknown> {
    const handler = guardSes(ENV) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
    return handler(event, lambdaContext({ timeoutMs: 28_000 }));
  }
  function watch(id: string): { outcomes: Bounced[]; stop: () => void } {
    const outcomes: Bounced[] = [];
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcomes.push(o as Bounced);
    });
    return { outcomes, stop };
  }
  return { t, received, invoke, watch };
}
