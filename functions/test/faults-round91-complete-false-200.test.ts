/**
 * Fault round 91: CompleteMultipartUpload answered `200` with a well-formed result (an ETag of a multipart object, the
 * bucket and key) by something in between, while S3 never made the object. Asked: the archiver never reports a copy
 * journaled (nor writes metadata describing one) that is not stored; the guard's strip of a large message never calls
 * PutRawMessageContent on an update that is not there (a bounce a retry would not give); the invocation fails, and
 * WorkMail's retry journals or strips the message whole.
 */
import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, isComplete, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

/** S3's result document for a Complete, with a multipart ETag: what a forged or cached answer looks like. */
function forgedComplete(req: IncomingMessage): Act {
  const [bucket = '', ...key] = pathOf(req).slice(1).split('/');
  return {
    do: 'answer',
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Location>http://127.0.0.1/${bucket}/${key.join('/')}</Location><Bucket>${bucket}</Bucket><Key>${key.join('/')}</Key>` +
      '<ETag>"0123456789abcdef0123456789abcdef-2"</ETag></CompleteMultipartUploadResult>',
  };
}

/** The first Complete into `bucket` answered by {@link forgedComplete}, never reaching S3. */
function forgeOnce(bucket: string) {
  let left = 1;
  t.s3p.decide = (req) =>
    isComplete(req) && pathOf(req).startsWith(`/${bucket}/`) && left-- > 0
      ? forgedComplete(req)
      : { do: 'forward' };
}

describe('CompleteMultipartUpload answered 200 by something in between, the object never made', () => {
  it('archiver (a message answered without a length, journaled in parts): nothing reported journaled that is not stored', async () => {
    const bytes = bigMessage(6_000_000, 'f91-complete-journal');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
    forgeOnce(JOURNAL);
    const handler = archiver({ JOURNAL_BUCKET: JOURNAL });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(handler, event);
    const after = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(after.problems).toEqual([]);
    expect(first.error, 'answered with no copy stored').toBeDefined();
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    const { copies, problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(problems).toEqual([]);
    expect(copies).toHaveLength(1);
    expect(
      (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.endsWith('.json')),
    ).toHaveLength(1);
  }, 120_000);

  it('guard strip of a large message: never a bounce for an update that is not there; the retry strips it', async () => {
    const bytes = withExe(6_000_000, 'f91-complete-strip');
    const id = t.stack.flow.load(bytes);
    forgeOnce(UPDATES);
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
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
    expect(out.toString('latin1').trimEnd().endsWith('--b1--')).toBe(true);
  }, 120_000);
});
