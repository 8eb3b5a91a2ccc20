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
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Act, type Decide, isComplete, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 50, what held (each case asserts what must hold afterwards).
// 1. The journal with Object Lock retention (RETENTION_DAYS): its streamed copy goes aws-chunked with a SHA-256
//    trailer and its parts carry checksums, paths no earlier round put under faults. The copy applied and answered
//    500, or 409 ConditionalRequestConflict (S3's answer to a conditional write racing another), applied or not; the
//    held metadata PutObject applied and its answer lost or answered 500; Complete answered 409, or applied and
//    answered 409 or 500: one copy, byte for byte, and its metadata describing it, nothing else at the key.
// 2. PutRawMessageContent applied by WorkMail and answered 500 InternalServerException: the SDK sends it again (the
//    same staged update), and a retry finds the message tagged: one banner, one disclaimer, never two.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
  t.flowp.log.length = 0;
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isCopyPut = (req: IncomingMessage) => isPlainPut(req) && !pathOf(req).endsWith('.json');
const isMetadataPut = (req: IncomingMessage) => isPlainPut(req) && pathOf(req).endsWith('.json');
function once(match: (req: IncomingMessage) => boolean, act: Act): Decide {
  let left = 1;
  return (req) => {
    if (left > 0 && match(req)) {
      left--;
      return act;
    }
    return { do: 'forward' };
  };
}
const s3Error = (status: number, code: string) => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>x</Message><RequestId>R</RequestId></Error>`,
});
const S3_500 = s3Error(500, 'InternalError');
const S3_409 = s3Error(409, 'ConditionalRequestConflict');

const STREAMED = 300_000;
const PARTED = 12_000_000;
const JOURNAL_CASES: [string, number, () => Decide][] = [
  ['copy applied, answered 500', STREAMED, () => once(isCopyPut, { do: 'apply-then-answer', ...S3_500 })],
  [
    'copy answered 409 ConditionalRequestConflict',
    STREAMED,
    () => once(isCopyPut, { do: 'answer', ...S3_409 }),
  ],
  ['copy applied, answered 409', STREAMED, () => once(isCopyPut, { do: 'apply-then-answer', ...S3_409 })],
  ['metadata applied, its answer lost', STREAMED, () => once(isMetadataPut, { do: 'apply-then-drop' })],
  [
    'metadata applied, answered 500',
    STREAMED,
    () => once(isMetadataPut, { do: 'apply-then-answer', ...S3_500 }),
  ],
  ['parts: Complete answered 409', PARTED, () => once(isComplete, { do: 'answer', ...S3_409 })],
  [
    'parts: Complete applied, answered 409',
    PARTED,
    () => once(isComplete, { do: 'apply-then-answer', ...S3_409 }),
  ],
  [
    'parts: Complete applied, answered 500',
    PARTED,
    () => once(isComplete, { do: 'apply-then-answer', ...S3_500 }),
  ],
];

describe('F50 held: the journal with Object Lock retention under S3 faults', () => {
  it.each(JOURNAL_CASES)(
    '%s: one copy, byte for byte, described by its metadata',
    async (label, size, decide) => {
      const bytes = bigMessage(size, `f50-held-${label}`);
      const id = t.stack.flow.load(bytes);
      // Parts: the message answered chunked (no announced size) goes in 5 MiB parts.
      if (size === PARTED)
        t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
      t.s3p.decide = decide();
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'j50h/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
          RETENTION_DAYS: '3',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        3,
      );
      const facts = `answered ${run.answered} after ${run.attempts}; ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`;
      expect(run.answered, facts).toBe(true);
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        facts,
      ).toEqual([]);
      expect(copies.filter((k) => k.includes(id))).toEqual([`j50h/${id}`]);
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort(), facts).toEqual([`j50h/${id}`, `j50h/${id}.json`]);
    },
    120_000,
  );
});

const WORKMAIL_500 = {
  status: 500,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' },
  body: '{"message":"internal error"}',
};
const BODIES: [string, string][] = [
  ['text/plain', 'Content-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n'],
  [
    'latin-1 quoted-printable',
    'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe\r\n',
  ],
  [
    'multipart/alternative',
    'Content-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>hello</p></body></html>\r\n--a--\r\n',
  ],
];
const mail = (from: string, to: string, n: string, body: string) =>
  Buffer.from(
    `From: ${from}\r\nTo: ${to}\r\nSubject: hi\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <${n}@x.example>\r\nMIME-Version: 1.0\r\n${body}`,
    'latin1',
  );
// Occurrences in the message with quoted-printable soft line breaks taken out (the HTML part is so encoded).
const count = (text: string, what: string) => text.replace(/=\r\n/g, '').split(what).length - 1;

describe('F50 held: PutRawMessageContent applied, answered 500 (sent again by the SDK)', () => {
  it.each(BODIES)(
    'guard banner, %s: the delivered message carries the banner once',
    async (label, body) => {
      const id = t.stack.flow.load(mail('ann@partner.example', 'bob@corp.example', `g-${label}`, body));
      t.flowp.decide = once(isPutRaw, { do: 'apply-then-answer', ...WORKMAIL_500 });
      const run = await invokeUntilAnswered(
        guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        3,
      );
      expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
      const [, ...updates] = t.stack.flow.history(id).map((v) => v.content.toString('latin1'));
      expect(updates.length).toBeGreaterThan(0);
      // Every update applied is the same message: the SDK's second send carried the same staged object.
      expect(new Set(updates).size).toBe(1);
      const out = updates.at(-1) ?? '';
      const parts = label === 'multipart/alternative' ? 2 : 1;
      expect(count(out, 'This message came from outside the organization')).toBe(parts);
      expect(count(out, '[EXTERNAL]')).toBe(1);
    },
    60_000,
  );

  it.each(BODIES)(
    'outbound disclaimer, %s: the delivered message carries it once',
    async (label, body) => {
      const id = t.stack.flow.load(mail('bob@corp.example', 'ann@partner.example', `o-${label}`, body));
      t.flowp.decide = once(isPutRaw, { do: 'apply-then-answer', ...WORKMAIL_500 });
      const run = await invokeUntilAnswered(
        outboundPolicy({
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: UPDATES,
          DISCLAIMER_TEXT: 'Confidential: for the addressee only.',
        }),
        makeFlowEvent({
          messageId: id,
          mailFrom: 'bob@corp.example',
          recipients: ['ann@partner.example'],
          direction: 'OUTBOUND',
        }),
        3,
      );
      expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
      const [, ...updates] = t.stack.flow.history(id).map((v) => v.content.toString('latin1'));
      expect(new Set(updates).size).toBe(1);
      const out = updates.at(-1) ?? '';
      const parts = label === 'multipart/alternative' ? 2 : 1;
      expect(count(out, 'Confidential: for the addressee only.')).toBe(parts);
    },
    60_000,
  );
});
