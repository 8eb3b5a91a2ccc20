import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, beforeAll, vi } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { JOURNAL, UPDATES } from './fault-harness.js';
import { type Decide, proxyBefore } from './scripted-proxy.js';

// archiver-ses invoked at a chosen time of the function's clock, for an event SES received at another (fault rounds
// 82 and 83: journal dates around UTC midnight). Only `Date` is faked, per invocation (timers run), and the local S3's
// clock with it (one process). The SDK corrects its clock by the answers' Date headers (Node's real clock), and the
// local S3 refuses a request dated more than 15 minutes off its own: the proxy before it dates each request by the
// process's clock (the local S3 checks that a request is signed, not its signature).

const PREFIX = 'inbound/';
const forward: Decide = () => ({ do: 'forward' });

/**
 * The local stack behind a scripted S3 proxy for the file's tests: `decide` scripts S3's answers (reset after each
 * test), `store` puts a message where the receipt rule's S3 action would, `invokeAt` runs a fresh archiver-ses.
 *
 * @example
 * ```ts
 * const clock = sesJournalClock();
 * expect(await clock.invokeAt(await clock.store(bytes), received.toISOString(), day(0, '00:01:30.000'))).toBe('CONTINUE');
 * ```
 */
export function sesJournalClock() {
  const t = proxyBefore('S3', [JOURNAL, UPDATES]);
  const kit = {
    t,
    decide: forward,
    /** Stores a message as the receipt rule's S3 action does, and registers it with the SES emulation. */
    async store(bytes: Buffer): Promise<string> {
      const id = sesMessageId();
      await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
      t.stack.ses.receive(id);
      return id;
    },
    /** One invocation of a fresh archiver-ses at `at` (the function's clock), for an event SES received at `received`. */
    async invokeAt(
      id: string,
      received: string,
      at: Date,
      extra: Record<string, string> = {},
    ): Promise<string> {
      const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
      for (const r of event.Records) r.ses.mail.timestamp = received;
      vi.useFakeTimers({ toFake: ['Date'], now: at });
      try {
        const handler = archiverSes({
          STORED_BUCKET: UPDATES,
          STORED_KEY_PREFIX: PREFIX,
          ORGANIZATION_DOMAINS: 'corp.example',
          JOURNAL_BUCKET: JOURNAL,
          ...extra,
        });
        return await handler(event, lambdaContext({ timeoutMs: 60_000 })).then(
          (answer) => (answer as { disposition: string }).disposition,
          (error: Error) => `error ${error.name}: ${error.message}`,
        );
      } finally {
        vi.useRealTimers();
      }
    },
  };
  beforeAll(() => {
    t.proxy.decide = (req, body) => {
      const now = new Date().toISOString();
      req.headers['x-amz-date'] = `${now.slice(0, 19).replace(/[-:]/g, '')}Z`;
      return kit.decide(req, body);
    };
  });
  afterEach(() => {
    kit.decide = forward;
    vi.useRealTimers();
  });
  return kit;
}

/** `time` (`hh:mm:ss.sss`, UTC) on the day `offset` days from today. */
export const day = (offset: number, time: string) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return new Date(`${d.toISOString().slice(0, 10)}T${time}Z`);
};

/** The journal key's date of `d` (`yyyy/mm/dd`). */
export const dated = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '/');

/** S3's own 500, answered to a request the proxy stops. */
export const S3_500 = {
  do: 'answer' as const,
  status: 500,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F82JOURNAL0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>F82JOURNAL0001</RequestId></Error>',
};
