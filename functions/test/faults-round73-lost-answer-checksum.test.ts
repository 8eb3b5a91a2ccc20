import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { bigMessage, describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { type Act, type Decide, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 73 (F73-3): PutRawMessageContent applied by WorkMail and its answer lost, so commitUpdate reads the
// message back and the staged update as stored in S3 to tell whether it was applied (round 39). With the SDK's
// checksum check on, as template.yaml deploys the functions (`AWS_RESPONSE_CHECKSUM_VALIDATION=WHEN_SUPPORTED`), a
// byte of the staged update changed on its way fails that read with the SDK's plain `Error` ("Checksum mismatch"),
// which `isTransient` did not know: the outcome was `unknown` and the invocation answered. The guard told to strip
// then BOUNCEd a message WorkMail already held stripped (round 39's and round 54's fault, by another way), where a
// retry reads the update whole and delivers it; outbound-policy answered for a disclaimer it could not tell was
// added. A changed byte on its way is a transfer to retry: the invocation fails, WorkMail retries.
const t = proxiedStack([UPDATES], { AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED' });
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStagedRead = (req: IncomingMessage) => req.method === 'GET' && pathOf(req).startsWith(`/${UPDATES}/`);
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};

/** The staged update as S3 holds it, one byte changed on its way, under its true CRC-32 and length. */
async function flippedRead(req: IncomingMessage): Promise<Act> {
  const key = decodeURIComponent(pathOf(req).slice(UPDATES.length + 2));
  const got = await t.stack.s3.send(new GetObjectCommand({ Bucket: UPDATES, Key: key }));
  const bytes = Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const body = Buffer.from(bytes);
  body[body.length - 10] = (body[body.length - 10] ?? 0) ^ 0x01;
  return {
    do: 'answer',
    status: 200,
    headers: {
      'content-type': 'message/rfc822',
      etag: '"0123456789abcdef0123456789abcdef"',
      'x-amz-checksum-crc32': crc(bytes),
    },
    body: body.toString('latin1'),
  };
}

/** Every PutRawMessageContent applied and unanswered, and the first few reads of the staged update changed. */
function lostThenFlipped(reads = 3): { flow: Decide; s3: Decide } {
  let left = reads;
  return {
    flow: (req) => (isPutRaw(req) ? { do: 'apply-then-drop' } : { do: 'forward' }),
    s3: (req) => (isStagedRead(req) && left-- > 0 ? flippedRead(req) : { do: 'forward' }),
  };
}

describe('F73-3: the staged update read after a lost PutRawMessageContent answer fails its checksum', () => {
  it('guard strip: the invocation fails, and the retry delivers the message WorkMail holds stripped', async () => {
    const id = t.stack.flow.load(withExe(120_000, 'f73-3-strip'));
    const faults = lostThenFlipped();
    t.flowp.decide = faults.flow;
    t.s3p.decide = faults.s3;
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
    const first = await invoke(handler, event);
    t.flowp.decide = () => ({ do: 'forward' });
    t.s3p.decide = () => ({ do: 'forward' });
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    // WorkMail applied the strip: the message it holds has no executable.
    expect(held.includes('run.exe')).toBe(false);
    // Never a bounce of a message WorkMail holds stripped: the invocation fails so WorkMail retries.
    expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
    expect(first.error?.name).toBe('TransientError');
    const retry = await invoke(handler, event);
    expect(firstAction(retry.response), describeErrors(retry.error ? [retry.error] : [])).toBe('DEFAULT');
  }, 60_000);

  it('outbound-policy: the invocation fails rather than answer for a disclaimer it cannot tell was added', async () => {
    const id = t.stack.flow.load(bigMessage(60_000, 'f73-3-out'));
    const faults = lostThenFlipped();
    t.flowp.decide = faults.flow;
    t.s3p.decide = faults.s3;
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential.',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'bob@corp.example',
      recipients: ['ann@partner.example'],
      direction: 'OUTBOUND',
    });
    const first = await invoke(handler, event);
    t.flowp.decide = () => ({ do: 'forward' });
    t.s3p.decide = () => ({ do: 'forward' });
    expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
    expect(first.error?.name).toBe('TransientError');
  }, 60_000);

  it('control: the answer lost, the staged update read as stored: committed, answered DEFAULT', async () => {
    const id = t.stack.flow.load(withExe(120_000, 'f73-3-control'));
    t.flowp.decide = (req) => (isPutRaw(req) ? { do: 'apply-then-drop' } : { do: 'forward' });
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
    const first = await invoke(handler, event);
    expect(firstAction(first.response), describeErrors(first.error ? [first.error] : [])).toBe('DEFAULT');
    expect((t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '').includes('run.exe')).toBe(
      false,
    );
  }, 60_000);
});
