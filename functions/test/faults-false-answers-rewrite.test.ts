// Fault round 32: guard-ses and archiver-ses against a stored-message GetObject answered chunked and ended early
// but well-formed (S3 always gives GetObject a length: refused); rewrites (guard tag, outbound disclaimer) from a
// GetRawMessageContent read ended so (a multipart left open is not closed without an announced length: the edit is
// not made); update uploads answered 200 without S3 having stored them (transient, never a bounce).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { isPlainPut, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
  t.flowp.log.length = 0;
});

const STORED = {
  STORED_BUCKET: UPDATES,
  STORED_KEY_PREFIX: 'inbound/',
  ORGANIZATION_DOMAINS: 'corp.example',
};

async function storeSes(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

describe('a message read answered chunked, ending early but well-formed (0-size chunk too soon)', () => {
  it('guard-ses (S3 GetObject): never CONTINUEs on a message whose executable the cut left unread', async () => {
    const bytes = withExe(300_000, 's32-guard-ses-chunked-cut');
    const id = await storeSes(bytes);
    const keep = bytes.indexOf('--b1\r\nContent-Type: application/octet-stream');
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).endsWith(`inbound/${id}`)
        ? { do: 'forward-chunked-cut', keep }
        : { do: 'forward' };
    const handler = guardSes({ ...STORED, BOUNCE_SENDER: 'postmaster@corp.example' });
    const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
    let answer: { disposition?: string } | undefined;
    try {
      answer = (await handler(event, lambdaContext())) as { disposition: string };
    } catch {
      answer = undefined; // failing is fine: SES retries
    }
    // Bounced, or held (STOP_RULE: a read that failed, fault round 68); never CONTINUE.
    if (answer) expect(['STOP_RULE_SET', 'STOP_RULE']).toContain(answer.disposition);
  }, 60_000);

  it('archiver-ses (S3 GetObject): never journals a cut copy as the message', async () => {
    const bytes = bigMessage(300_000, 's32-archiver-ses-chunked-cut');
    const id = await storeSes(bytes);
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).endsWith(`inbound/${id}`)
        ? { do: 'forward-chunked-cut', keep: 120_000 }
        : { do: 'forward' };
    const handler = archiverSes({ ...STORED, JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}' });
    const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
    await handler(event, lambdaContext()).catch(() => undefined);
    const copy = await stored(t.stack, JOURNAL, `j/${id}`);
    if (copy)
      expect({ size: copy.length, sha256: sha256(copy) }).toEqual({
        size: bytes.length,
        sha256: sha256(bytes),
      });
  }, 60_000);
});

describe('guard strip: the update upload answered 200 without S3 having stored it', () => {
  it('small update (one PutObject): the invocation fails (retry) or commits the stripped message, never bounces', async () => {
    const bytes = withExe(200_000, 's32-strip-put-200');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.s3p.decide = (req) => {
      if (isPlainPut(req) && pathOf(req).includes(`/${id}/`) && faults > 0) {
        faults--;
        return { do: 'answer', status: 200, body: '' };
      }
      return { do: 'forward' };
    };
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 4);
    expect(
      firstAction(run.response),
      `errors: ${describeErrors(run.errors)}; log ${t.s3p.log.join(' | ')}`,
    ).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
  }, 120_000);

  it('6 MB update (parts): an UploadPart answered 200 but not stored fails the invocation, never bounces', async () => {
    const bytes = withExe(6_000_000, 's32-strip-part-200');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.s3p.decide = (req) => {
      if (isUploadPart(req) && pathOf(req).includes(`/${id}/`) && faults > 0) {
        faults--;
        return {
          do: 'answer',
          status: 200,
          headers: { etag: '"0123456789abcdef0123456789abcdef"' },
          body: '',
        };
      }
      return { do: 'forward' };
    };
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 4);
    expect(firstAction(run.response), `errors: ${describeErrors(run.errors)}`).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
  }, 240_000);
});

describe('guard tag-external rewrite from a read answered chunked and cut', () => {
  it('never commits a rewrite built from a cut read: the delivered message keeps every byte after the edit', async () => {
    const bytes = withExe(300_000, 's32-tag-chunked-cut');
    const id = t.stack.flow.load(bytes);
    // Cut at a line end inside the base64 attachment: a cut that ends mid-line is recognised as cut.
    const keep = bytes.indexOf('\r\n', 150_000) + 2;
    t.flowp.decide = (req) =>
      req.method === 'GET' ? { do: 'forward-chunked-cut', keep } : { do: 'forward' };
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_POLICY: 'false',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event);
    const history = t.stack.flow.history(id);
    const out = history.at(-1)?.content ?? Buffer.alloc(0);
    const facts = {
      error: error?.message.slice(0, 80),
      action: firstAction(response),
      versions: history.length,
      deliveredBytes: out.length,
      originalBytes: bytes.length,
      tailKept: out.includes(bytes.subarray(bytes.length - 200)),
    };
    // Whatever the outcome, the message WorkMail delivers must still hold the original's last bytes.
    expect(facts.tailKept, JSON.stringify(facts)).toBe(true);
  }, 60_000);
});

describe('outbound-policy disclaimer from a read answered chunked and cut at a line end', () => {
  it('never commits (sends) a message cut short: the sent message keeps the original last bytes', async () => {
    const bytes = bigMessage(300_000, 's32-disclaimer-chunked-cut');
    const id = t.stack.flow.load(bytes);
    const keep = bytes.indexOf('\r\n', 150_000) + 2;
    t.flowp.decide = (req) =>
      req.method === 'GET' ? { do: 'forward-chunked-cut', keep } : { do: 'forward' };
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential: for the addressee only.',
    });
    const event = makeFlowEvent({
      messageId: id,
      direction: 'OUTBOUND',
      mailFrom: 'dan@corp.example',
      recipients: ['orders@shop.example'],
    });
    const { response, error } = await invoke(handler, event);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    const facts = {
      error: error?.name,
      action: firstAction(response),
      versions: t.stack.flow.history(id).length,
      sentBytes: out.length,
      originalBytes: bytes.length,
    };
    expect(out.includes(bytes.subarray(bytes.length - 200)), JSON.stringify(facts)).toBe(true);
  }, 60_000);
});
