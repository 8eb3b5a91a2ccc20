/**
 * Adversarial suite for envelopes, scope, bounded work and journaling (docs/threat-model.md):
 * hostile events and messages through the prebuilt functions at their defaults, over the local
 * Message Flow emulator and S3 server, each asserting the protective outcome the threat model promises.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  type FlowOutcome,
  type FlowResponse,
  onFlowOutcome,
  readResponse,
  resetDefaultClients,
  verdictKey,
} from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiver } from '../../archiver/archiver.js';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { utcDaysBetween } from '../journal-days.js';
import { cardNumbers, hugeHeaderBlock, nestedBlockquotes, virusWithExe } from './hostile-mail.js';

let stack: LocalStack;
const outcomes = new Map<string, FlowOutcome>();
let stop: () => void;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal', 'updates'] });
  Object.assign(process.env, stack.env, { AWS_S3_FORCE_PATH_STYLE: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  resetDefaultClients();
  stop = onFlowOutcome((o) => outcomes.set(o.messageId, o));
}, 60_000);
afterAll(async () => {
  stop?.();
  resetDefaultClients();
  await stack?.stop();
});

const ORG = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates' };
type Handler = ReturnType<typeof guard>;
type Event = ReturnType<typeof makeFlowEvent>;

async function invoke(handler: Handler, event: Event): Promise<{ response?: FlowResponse; error?: Error }> {
  try {
    return { response: (await handler(event, lambdaContext({ timeoutMs: 15_000 }))) as FlowResponse };
  } catch (error) {
    return { error: error as Error };
  }
}

/** Verdict type per recipient as WorkMail reads the response (`extra`: recipients the event did not list). */
function verdicts(
  event: Event,
  response: FlowResponse | undefined,
  extra: string[] = [],
): Record<string, string> {
  const listed = [...event.envelope.recipients.map((r) => r.address), ...extra];
  const read = readResponse(response, listed, event.flowDirection);
  expect(read.problems).toEqual([]);
  return Object.fromEntries([...read.verdicts].map(([r, v]) => [r, verdictKey(v).split(':')[0] as string]));
}

function load(bytes: Buffer): string {
  return stack.flow.load(bytes);
}

describe('adversarial: envelopes as SMTP allows them', () => {
  const odd = ['"a b"@evil.example', 'x@[192.0.2.1]', 'jörg@bücher.example', '"x\\"y"@[IPv6:2001:db8::1]'];

  it.each(['bounce', 'strip'])(
    'guard (ATTACHMENT_ACTION=%s) still refuses a virus from any legal sender',
    async (mode) => {
      const handler = guard({ ...ORG, ATTACHMENT_ACTION: mode });
      for (const mailFrom of odd) {
        const event = makeFlowEvent({
          messageId: load(virusWithExe()),
          mailFrom,
          recipients: ['bob@corp.example'],
        });
        const { response, error } = await invoke(handler, event);
        expect(error).toBeUndefined();
        expect(verdicts(event, response)).toEqual({ 'bob@corp.example': 'BOUNCE' });
      }
    },
  );

  it('outbound-policy still refuses card numbers to a quoted or address-literal recipient', async () => {
    const handler = outboundPolicy(ORG);
    for (const recipient of odd) {
      const event = makeFlowEvent({
        direction: 'OUTBOUND',
        messageId: load(cardNumbers('"dan x"@corp.example')),
        mailFrom: '"dan x"@corp.example',
        recipients: [recipient],
      });
      const { response } = await invoke(handler, event);
      expect(verdicts(event, response)).toEqual({ [recipient]: 'BOUNCE' });
    }
  });

  it('the archiver journals mail whatever legal envelope it has', async () => {
    const bytes = virusWithExe();
    const event = makeFlowEvent({ messageId: load(bytes), mailFrom: odd[0], recipients: [odd[3] as string] });
    const { error } = await invoke(archiver({ JOURNAL_BUCKET: 'journal' }), event);
    expect(error).toBeUndefined();
    const keys = (await stack.listObjects('journal'))
      .map((o) => o.key)
      .filter((k) => k.includes(event.messageId));
    expect(keys.length).toBe(2);
  });

  it.each([
    ['guard', () => guard(ORG), 'INBOUND'],
    ['outbound-policy', () => outboundPolicy(ORG), 'OUTBOUND'],
    ['archiver', () => archiver({ JOURNAL_BUCKET: 'journal' }), 'INBOUND'],
  ] as const)(
    '%s rethrows an event it cannot accept, so WorkMail retries and then applies its fallback',
    async (_n, make, direction) => {
      const event = makeFlowEvent({
        direction,
        messageId: load(cardNumbers()),
        mailFrom: 'a b@evil.example',
      });
      const { response, error } = await invoke(make(), event);
      expect(response).toBeUndefined();
      expect(error?.name).toBe('EventValidationError');
    },
  );
});

describe('adversarial: scope decided by what the organization controls', () => {
  it('a subdomain of an organization domain is outside unless configured', async () => {
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers()),
      mailFrom: 'dan@corp.example',
      recipients: ['x@support.corp.example'],
    });
    expect(verdicts(event, (await invoke(outboundPolicy(ORG), event)).response)).toEqual({
      'x@support.corp.example': 'BOUNCE',
    });
    const listed = outboundPolicy({ ...ORG, ORGANIZATION_DOMAINS: 'corp.example,support.corp.example' });
    const again = { ...event, messageId: load(cardNumbers()) };
    expect(verdicts(again, (await invoke(listed, again)).response)).toEqual({
      'x@support.corp.example': 'DEFAULT',
    });
  });

  it('a truncated event cannot hide outside recipients: unlisted ones get the protective verdict', async () => {
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers()),
      mailFrom: 'dan@corp.example',
      recipients: ['a@corp.example', 'b@corp.example'],
      truncated: true,
    });
    const { response } = await invoke(outboundPolicy(ORG), event);
    expect(verdicts(event, response, ['unlisted@partner.example'])['unlisted@partner.example']).toBe(
      'BOUNCE',
    );
    const empty = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers()),
      mailFrom: 'dan@corp.example',
      truncated: true,
    });
    empty.envelope.recipients = [];
    expect((await invoke(outboundPolicy(ORG), empty)).error?.name).toBe('EventValidationError');
  });

  it('internal-only senders cannot write out through a truncated event', async () => {
    const handler = outboundPolicy({
      ...ORG,
      SENSITIVE_DATA: 'false',
      INTERNAL_ONLY_SENDERS: 'kiosk@corp.example',
    });
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers('kiosk@corp.example')),
      mailFrom: 'kiosk@corp.example',
      recipients: ['a@corp.example'],
      truncated: true,
    });
    const read = verdicts(event, (await invoke(handler, event)).response, ['out@partner.example']);
    expect(read['out@partner.example']).toBe('BOUNCE');
  });

  it('more than 500 named outbound recipients resolve to the protective verdict, not an error', async () => {
    const pilot = Array.from({ length: 501 }, (_, i) => `p${i}@partner.example`);
    const others = Array.from({ length: 501 }, (_, i) => `o${i}@other.example`);
    const handler = outboundPolicy({ ...ORG, PILOT_RECIPIENTS: 'partner.example' });
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers()),
      mailFrom: 'dan@corp.example',
      recipients: [...pilot, ...others],
    });
    const { response, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(new Set(Object.values(verdicts(event, response)))).toEqual(new Set(['BOUNCE']));
  });

  it('recipients differing only in case each get their verdict', async () => {
    const handler = outboundPolicy({ ...ORG, PILOT_RECIPIENTS: 'ann@partner.example' });
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(cardNumbers()),
      mailFrom: 'dan@corp.example',
      recipients: [
        'Ann@partner.example',
        'ann@PARTNER.example',
        'a@corp.example',
        'b@corp.example',
        'c@corp.example',
      ],
    });
    const read = verdicts(event, (await invoke(handler, event)).response);
    expect(read['Ann@partner.example']).toBe('BOUNCE');
    expect(read['ann@PARTNER.example']).toBe('BOUNCE');
    expect(read['a@corp.example']).toBe('DEFAULT');
  });
});

describe('adversarial: journaling never depends on the message headers', () => {
  it('journals a message with a header block over 1 MiB, byte for byte, dated by the invocation', async () => {
    const bytes = hugeHeaderBlock('Mon, 1 Jan 1900 00:00:00 +0000');
    const event = makeFlowEvent({ messageId: load(bytes), recipients: ['bob@corp.example'] });
    const before = new Date();
    const { error } = await invoke(archiver({ JOURNAL_BUCKET: 'journal' }), event);
    expect(error).toBeUndefined();
    const key = (await stack.listObjects('journal'))
      .map((o) => o.key)
      .find((k) => k.includes(event.messageId) && !k.endsWith('.json'));
    const days = utcDaysBetween(before, new Date());
    expect(days.some((day) => key?.includes(`inbound/${day}/`))).toBe(true);
    expect(key).not.toContain('1900');
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
    const stored = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(stored.equals(bytes)).toBe(true);
  });
});

describe('adversarial: bounded work', () => {
  it('the guard answers a 107 KB nested-<blockquote> HTML message without hitting its deadline', async () => {
    const event = makeFlowEvent({
      messageId: load(nestedBlockquotes(107_000)),
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(guard(ORG), event);
    expect(error).toBeUndefined();
    expect(verdicts(event, response)).toEqual({ 'bob@corp.example': 'DEFAULT' });
    expect(outcomes.get(event.messageId)).toMatchObject({ deadlineHit: false, failures: [] });
  });

  it('outbound-policy inspects a 107 KB nested-<blockquote> HTML body for card numbers', async () => {
    const html = nestedBlockquotes(107_000).toString('latin1').replace('hello', 'card 4111 1111 1111 1111');
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId: load(Buffer.from(html, 'latin1')),
      mailFrom: 'dan@corp.example',
      recipients: ['someone@partner.example'],
    });
    const { response } = await invoke(outboundPolicy(ORG), event);
    expect(verdicts(event, response)).toEqual({ 'someone@partner.example': 'BOUNCE' });
    expect(outcomes.get(event.messageId)).toMatchObject({ deadlineHit: false, failures: [] });
  });
});
