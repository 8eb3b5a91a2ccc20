import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
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
import { isComplete, proxiedStack } from './scripted-proxy.js';

// S3 documents that CompleteMultipartUpload may answer 200 OK and carry an <Error> in its body (the error
// comes after the status line, once S3 has begun to answer). The SDK recognises such an answer only when the
// body's last 16 bytes end with "</Error>": an error document followed by a line end was taken as success,
// and the archiver reported a copy journaled (its metadata written) that S3 did not hold (round 31, S31-1/2).
const ERROR_200 =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>\n';

const t = proxiedStack([JOURNAL, UPDATES]);
let errorsLeft = 0;
let errorBody = ERROR_200;

beforeAll(() => {
  t.s3p.decide = (req) => {
    if (isComplete(req) && errorsLeft > 0) {
      errorsLeft--;
      return { do: 'answer', status: 200, headers: { 'content-type': 'application/xml' }, body: errorBody };
    }
    return { do: 'forward' };
  };
});
beforeEach(() => {
  errorsLeft = 0;
  errorBody = ERROR_200;
  t.s3p.log.length = 0;
  t.flowp.decide = () => ({ do: 'forward' });
});

describe('CompleteMultipartUpload answered 200 with an <Error> body', () => {
  it('archiver (message answered chunked, so the copy goes in parts): never reports journaled when S3 made no object', async () => {
    const bytes = bigMessage(6_000_000, 'complete-200-error-journal');
    const id = t.stack.flow.load(bytes);
    // WorkMail's answer delimited by chunked encoding (wmflow accepts it): no announced size, parts.
    t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
    errorsLeft = 1;
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const first = await invoke(handler, makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }));
    const copy = await stored(t.stack, JOURNAL, `j/${id}`);
    const meta = await stored(t.stack, JOURNAL, `j/${id}.json`);
    // The promise: a failure fails the invocation (WorkMail retries); success means the copy is in S3, and a
    // metadata object never describes bytes S3 does not hold.
    const facts = {
      invocation: first.error ? 'failed' : 'succeeded',
      copy: copy === undefined ? 'none' : sha256(copy) === sha256(bytes) ? 'whole' : 'other bytes',
      metadata: meta === undefined ? 'none' : 'written',
    };
    expect(facts, JSON.stringify(facts)).toEqual({ invocation: 'failed', copy: 'none', metadata: 'none' });
    // WorkMail's retry journals the whole copy.
    const again = await invokeUntilAnswered(
      handler,
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
    );
    expect(again.answered).toBe(true);
    expect(sha256((await stored(t.stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
    const written = JSON.parse(String(await stored(t.stack, JOURNAL, `j/${id}.json`))) as { sha256: string };
    expect(written.sha256).toBe(sha256(bytes));
  }, 120_000);

  it('archiver: the same answer ending exactly in "</Error>" (which the SDK itself recognises and retries) journals whole', async () => {
    const bytes = bigMessage(6_000_000, 'complete-200-error-tail');
    const id = t.stack.flow.load(bytes);
    t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
    errorsLeft = 1;
    errorBody = ERROR_200.trimEnd();
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const run = await invokeUntilAnswered(
      handler,
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
    );
    expect(run.answered).toBe(true);
    expect(sha256((await stored(t.stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
  }, 120_000);

  it('guard strip (6 MB update in parts): the invocation fails and its retry delivers the message stripped, never a bounce', async () => {
    const bytes = withExe(6_000_000, 'complete-200-error-strip');
    const id = t.stack.flow.load(bytes);
    errorsLeft = 1;
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
    const run = await invokeUntilAnswered(handler, event);
    expect(
      firstAction(run.response),
      `errors: ${describeErrors(run.errors)}; s3: ${t.s3p.log.filter((l) => l.startsWith('POST')).join(' | ')}`,
    ).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
  }, 240_000);
});
