import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 73 (F73-4): the staged update of a small message goes to S3 in one PutObject with a signed payload
// (SigV4 hashes bodies under 64 KiB; round 43's `unsignedLargePayloads`). A byte changed on its way is refused by
// S3 with `400 XAmzContentSHA256Mismatch` ("The provided 'x-amz-content-sha256' header does not match what was
// computed"), which `isTransient` did not know, though it is a transfer that went wrong as S3's `BadDigest` and
// `IncompleteBody` are (both transient since round 43): the update was taken as failed for good, and the guard told
// to strip BOUNCEd a message whose removal a retry would have committed; outbound-policy delivered without its
// disclaimer. Now the invocation fails; WorkMail holds the original and retries.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isStagedPut = (req: IncomingMessage) => req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);
const s3Error = (code: string, message: string): Act => ({
  do: 'answer',
  status: 400,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R</RequestId><HostId>H</HostId></Error>`,
});
const MISMATCH = s3Error(
  'XAmzContentSHA256Mismatch',
  "The provided 'x-amz-content-sha256' header does not match what was computed.",
);

describe('F73-4: the staged update refused by S3 for a payload changed on its way', () => {
  it('guard strip: the invocation fails, WorkMail holds the original, the retry strips', async () => {
    const id = t.stack.flow.load(withExe(20_000, 'f73-4-strip'));
    t.s3p.decide = (req) => (isStagedPut(req) ? MISMATCH : { do: 'forward' });
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
    t.s3p.decide = () => ({ do: 'forward' });
    expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
    expect(first.error?.name).toBe('TransientError');
    // WorkMail still holds the original (nothing was committed).
    expect(
      (t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? 'run.exe').includes('run.exe'),
    ).toBe(true);
    const retry = await invoke(handler, event);
    expect(firstAction(retry.response), describeErrors(retry.error ? [retry.error] : [])).toBe('DEFAULT');
    expect((t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '').includes('run.exe')).toBe(
      false,
    );
  }, 60_000);

  it('outbound-policy disclaimer: the invocation fails rather than deliver without it', async () => {
    const id = t.stack.flow.load(
      Buffer.from(
        'From: bob@corp.example\r\nTo: ann@partner.example\r\nSubject: hi\r\nMessage-ID: <f73-4@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n',
      ),
    );
    t.s3p.decide = (req) => (isStagedPut(req) ? MISMATCH : { do: 'forward' });
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
    t.s3p.decide = () => ({ do: 'forward' });
    expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
    expect(first.error?.name).toBe('TransientError');
  }, 60_000);

  // Fault round 76: AccessDenied (the role's policy) now fails the invocation as a deployment fault; the control
  // keeps a refusal of the request itself, which a retry does not cure either.
  it('control: a refusal a retry does not cure (InvalidArgument) still settles the strip as not committed', async () => {
    const id = t.stack.flow.load(withExe(20_000, 'f73-4-denied'));
    t.s3p.decide = (req) =>
      isStagedPut(req) ? s3Error('InvalidArgument', 'Invalid Argument') : { do: 'forward' };
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
    expect(first.error).toBeUndefined();
    expect(firstAction(first.response)).toBe('BOUNCE');
  }, 60_000);
});
