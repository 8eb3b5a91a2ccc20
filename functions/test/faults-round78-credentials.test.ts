import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 78: credentials or a clock that the service refuses on a later call of one invocation. The first call
// (GetRawMessageContent) goes through; the staged update's PutObject or PutRawMessageContent is then answered as AWS
// answers a request it cannot authenticate: a key that no longer exists (a rotated access key: S3 InvalidAccessKeyId,
// JSON protocols UnrecognizedClientException), a session token it does not take (S3 InvalidToken), a signature it
// does not match (S3 SignatureDoesNotMatch: a secret that changed under its key id), or a signature dated outside its
// window (JSON protocols InvalidSignatureException "Signature expired": the clock is off, and the SDK's skew
// correction did not cure it). None of these says anything about the message: the invocation must fail so that
// WorkMail retries it (the retry signs afresh), never answer as if the protection had decided — a strip bounced, a
// disclaimer dropped, a message unread bounced as "could not be checked".
const t = proxiedStack([JOURNAL, UPDATES]);

const s3Refusal = (code: string, status: number, message: string): Act => ({
  do: 'answer',
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>r78</RequestId></Error>`,
});
const jsonRefusal = (type: string, status: number, message: string): Act => ({
  do: 'answer',
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message }),
});

const S3_REFUSALS: [string, Act][] = [
  [
    'InvalidAccessKeyId (a rotated access key)',
    s3Refusal('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
  ],
  [
    'SignatureDoesNotMatch (a secret changed under its key id)',
    s3Refusal(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ),
  ],
  [
    'InvalidToken (a session token S3 does not take)',
    s3Refusal('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'),
  ],
];
const FLOW_REFUSALS: [string, Act][] = [
  [
    'UnrecognizedClientException (a rotated key or token)',
    jsonRefusal('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
  ],
  [
    'InvalidSignatureException (signature expired: the clock is off)',
    jsonRefusal(
      'InvalidSignatureException',
      403,
      'Signature expired: 20261207T061000Z is now earlier than 20261207T062000Z (20261207T063500Z - 15 min.)',
    ),
  ],
];

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isGetRaw = (req: IncomingMessage) => req.method === 'GET' && /^\/messages\//.test(req.url ?? '');
const isStagedPut = (req: IncomingMessage) =>
  req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/wmflow-updates/`);

const guardEnv = {
  ORGANIZATION_DOMAINS: 'corp.example',
  UPDATES_BUCKET: UPDATES,
  UPDATES_KEY_PREFIX: 'wmflow-updates',
};
const inbound = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });
const outbound = (id: string) =>
  makeFlowEvent({
    messageId: id,
    mailFrom: 'bob@corp.example',
    recipients: ['ann@partner.example'],
    direction: 'OUTBOUND',
  });

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

/** Every message in an error's cause chain, joined. */
const chain = (error: Error | undefined) => {
  const out: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) out.push(e.message);
  return out.join(' <- ');
};
const NOT_ACCEPTED =
  /refused by AWS \((InvalidAccessKeyId|SignatureDoesNotMatch|InvalidToken|UnrecognizedClientException|InvalidSignatureException): .*credentials or signature were not accepted/;

/** How an invocation ended, for assertion messages. */
const told = (r: { response?: unknown; error?: Error }) =>
  r.error ? `failed: ${describeErrors([r.error])}` : JSON.stringify(r.response);

describe('F78-1: a refused signature or credential on a later call fails the invocation, never decides', () => {
  for (const [name, refusal] of S3_REFUSALS) {
    it(`guard strip, the staged update's PutObject refused ${name}: the invocation fails, no bounce; the retry strips`, async () => {
      const id = t.stack.flow.load(withExe(60_000, `f78-1-staged-${name.split(' ')[0]}`));
      let refused = 0;
      t.s3p.decide = (req) => {
        if (!isStagedPut(req)) return { do: 'forward' };
        refused++;
        return refusal;
      };
      const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
      const first = await invoke(handler, inbound(id));
      expect(refused, told(first)).toBeGreaterThan(0);
      // Before: answered BOUNCE ("the attachment could not be removed"), a strip turned into a bounce by a credential.
      expect(first.error, told(first)).toBeDefined();
      expect(chain(first.error)).toMatch(NOT_ACCEPTED);
      expect(t.stack.flow.history(id)).toHaveLength(1);
      t.s3p.decide = () => ({ do: 'forward' });
      const retry = await invoke(handler, inbound(id));
      expect(firstAction(retry.response), told(retry)).toBe('DEFAULT');
      const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
      expect(held).toContain('report.pdf');
      expect(held.includes('run.exe')).toBe(false);
    }, 60_000);
  }

  for (const [name, refusal] of FLOW_REFUSALS) {
    it(`guard strip, PutRawMessageContent refused ${name}: the invocation fails, no bounce; the retry strips`, async () => {
      const id = t.stack.flow.load(withExe(60_000, `f78-1-put-${name.split(' ')[0]}`));
      let refused = 0;
      t.flowp.decide = (req) => {
        if (!isPutRaw(req)) return { do: 'forward' };
        refused++;
        return refusal;
      };
      const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
      const first = await invoke(handler, inbound(id));
      expect(refused, told(first)).toBeGreaterThan(0);
      // Before: BOUNCE.
      expect(first.error, told(first)).toBeDefined();
      expect(chain(first.error)).toMatch(NOT_ACCEPTED);
      expect(t.stack.flow.history(id)).toHaveLength(1);
      t.flowp.decide = () => ({ do: 'forward' });
      const retry = await invoke(handler, inbound(id));
      expect(firstAction(retry.response), told(retry)).toBe('DEFAULT');
      expect(t.stack.flow.history(id).at(-1)?.content.toString('latin1').includes('run.exe')).toBe(false);
    }, 60_000);

    it(`guard, GetRawMessageContent refused ${name}: the invocation fails, the clean message is not bounced unread`, async () => {
      const id = t.stack.flow.load(bigMessage(40_000, `f78-1-read-${name.split(' ')[0]}`));
      let refused = 0;
      t.flowp.decide = (req) => {
        if (!isGetRaw(req)) return { do: 'forward' };
        refused++;
        return refusal;
      };
      const handler = guard(guardEnv);
      const first = await invoke(handler, inbound(id));
      expect(refused, told(first)).toBeGreaterThan(0);
      // Before: BOUNCE, "could not be checked" for a message the guard never read.
      expect(first.error, told(first)).toBeDefined();
      expect(first.error?.name, told(first)).not.toBe('MessageNotFoundError');
      expect(chain(first.error)).toMatch(NOT_ACCEPTED);
      t.flowp.decide = () => ({ do: 'forward' });
      const retry = await invoke(handler, inbound(id));
      expect(firstAction(retry.response), told(retry)).toBe('DEFAULT');
    }, 60_000);

    it(`outbound-policy disclaimer, PutRawMessageContent refused ${name}: the invocation fails, the retry adds it`, async () => {
      const id = t.stack.flow.load(bigMessage(40_000, `f78-1-out-${name.split(' ')[0]}`));
      t.flowp.decide = (req) => (isPutRaw(req) ? refusal : { do: 'forward' });
      const handler = outboundPolicy({ ...guardEnv, DISCLAIMER_TEXT: 'Confidential f78.' });
      const first = await invoke(handler, outbound(id));
      // Before: DEFAULT, the disclaimer dropped as a failed edit.
      expect(first.error, told(first)).toBeDefined();
      expect(chain(first.error)).toMatch(NOT_ACCEPTED);
      expect(t.stack.flow.history(id)).toHaveLength(1);
      t.flowp.decide = () => ({ do: 'forward' });
      const retry = await invoke(handler, outbound(id));
      expect(firstAction(retry.response), told(retry)).toBe('DEFAULT');
      expect(t.stack.flow.history(id).at(-1)?.content.toString('latin1')).toContain('Confidential f78.');
    }, 60_000);
  }
});

describe('F78 held: refusals already taken as transient, and the archiver', () => {
  it('guard strip, the staged PutObject refused RequestTimeTooSkewed: the invocation fails; the retry strips', async () => {
    const id = t.stack.flow.load(withExe(60_000, 'f78-held-skew'));
    t.s3p.decide = (req) =>
      isStagedPut(req)
        ? s3Refusal(
            'RequestTimeTooSkewed',
            403,
            'The difference between the request time and the current time is too large.',
          )
        : { do: 'forward' };
    const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
    const first = await invoke(handler, inbound(id));
    expect(first.error, told(first)).toBeDefined();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    t.s3p.decide = () => ({ do: 'forward' });
    const retry = await invoke(handler, inbound(id));
    expect(firstAction(retry.response), told(retry)).toBe('DEFAULT');
    expect(t.stack.flow.history(id).at(-1)?.content.toString('latin1').includes('run.exe')).toBe(false);
  }, 60_000);

  it('outbound-policy, PutRawMessageContent refused ExpiredTokenException: the invocation fails', async () => {
    const id = t.stack.flow.load(bigMessage(40_000, 'f78-held-expired'));
    t.flowp.decide = (req) =>
      isPutRaw(req)
        ? jsonRefusal('ExpiredTokenException', 403, 'The security token included in the request is expired')
        : { do: 'forward' };
    const handler = outboundPolicy({ ...guardEnv, DISCLAIMER_TEXT: 'Confidential f78.' });
    const first = await invoke(handler, outbound(id));
    expect(first.error, told(first)).toBeDefined();
    expect(t.stack.flow.history(id)).toHaveLength(1);
  }, 60_000);

  it('archiver, the journal PutObject refused InvalidAccessKeyId: the invocation fails; the retry journals identical bytes', async () => {
    const bytes = bigMessage(300_000, 'f78-held-archiver');
    const id = t.stack.flow.load(bytes);
    let refused = 0;
    t.s3p.decide = (req) => {
      if (req.method !== 'PUT' || !pathOf(req).startsWith(`/${JOURNAL}/`)) return { do: 'forward' };
      refused++;
      return S3_REFUSALS[0]?.[1] as Act;
    };
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'f78/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const first = await invoke(handler, inbound(id));
    expect(refused, told(first)).toBeGreaterThan(0);
    expect(first.error, told(first)).toBeDefined();
    t.s3p.decide = () => ({ do: 'forward' });
    const retry = await invoke(handler, inbound(id));
    // The archiver answers nothing (an asynchronous rule's answer is ignored): the retry succeeds.
    expect(retry.error, told(retry)).toBeUndefined();
    const { copies, problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(problems.filter((p) => p.startsWith('f78/'))).toEqual([]);
    expect(copies.filter((k) => k.startsWith('f78/'))).toEqual([`f78/${id}`]);
  }, 60_000);

  it('archiver, only the metadata PutObject refused InvalidToken (the copy landed): the invocation fails; the retry completes both', async () => {
    const bytes = bigMessage(200_000, 'f78-held-archiver-json');
    const id = t.stack.flow.load(bytes);
    let refused = 0;
    t.s3p.decide = (req) => {
      if (req.method !== 'PUT' || !pathOf(req).endsWith('.json')) return { do: 'forward' };
      refused++;
      return S3_REFUSALS[2]?.[1] as Act;
    };
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'f78json/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const first = await invoke(handler, inbound(id));
    expect(refused, told(first)).toBeGreaterThan(0);
    expect(first.error, told(first)).toBeDefined();
    t.s3p.decide = () => ({ do: 'forward' });
    const retry = await invoke(handler, inbound(id));
    expect(retry.error, told(retry)).toBeUndefined();
    const keys = (await t.stack.listObjects(JOURNAL))
      .map((o) => o.key)
      .filter((k) => k.startsWith('f78json/'));
    expect(keys.sort()).toEqual([`f78json/${id}`, `f78json/${id}.json`]);
    const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(problems.filter((p) => p.startsWith('f78json/'))).toEqual([]);
  }, 60_000);

  it('guard strip of a 12 MB message, one UploadPart of the staged update refused RequestTimeTooSkewed with a clock 20 minutes ahead: the part is sent again, the update lands whole', async () => {
    const bytes = withExe(12 * 1024 * 1024, 'f78-held-skew-parts');
    const control = t.stack.flow.load(bytes);
    const id = t.stack.flow.load(bytes);
    const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
    const clean = await invoke(handler, inbound(control));
    expect(firstAction(clean.response), told(clean)).toBe('DEFAULT');
    const expected = t.stack.flow.history(control).at(-1)?.content as Buffer;
    expect(expected.includes('run.exe')).toBe(false);
    let skewed = 0;
    const ahead = new Date(Date.now() + 20 * 60_000).toUTCString();
    t.s3p.decide = (req) => {
      if (!isUploadPart(req) || !/[?&]partNumber=2(&|$)/.test(req.url ?? '') || skewed > 0)
        return { do: 'forward' };
      skewed++;
      const refusal = s3Refusal(
        'RequestTimeTooSkewed',
        403,
        'The difference between the request time and the current time is too large.',
      ) as Extract<Act, { do: 'answer' }>;
      return { ...refusal, headers: { ...refusal.headers, date: ahead } };
    };
    const first = await invoke(handler, inbound(id));
    expect(skewed, told(first)).toBe(1);
    // The part is sent again within the invocation (RequestTimeTooSkewed is transient), and the strip answered.
    expect(firstAction(first.response), told(first)).toBe('DEFAULT');
    // The seal header is per message id (the control's differs); every other byte must be the clean run's.
    const unsealed = (b: Buffer) =>
      Buffer.from(b.toString('latin1').replace(/^X-Wmflow-External-Seal: [0-9a-f]+\r\n/m, ''), 'latin1');
    const held = unsealed(t.stack.flow.history(id).at(-1)?.content as Buffer);
    const want = unsealed(expected);
    expect(held.length).toBe(want.length);
    expect(held.equals(want)).toBe(true);
  }, 120_000);
});
