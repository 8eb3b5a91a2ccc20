import type { IncomingMessage } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
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
import { isUploadPart, proxiedStack } from './scripted-proxy.js';

// Fault round 44: S3 answers to a multipart upload that are not what they claim.
// F44-1: CreateMultipartUpload answered 200 without an UploadId (an empty body from something in between, or an
// <Error> document followed by a line end, which the SDK's 200-error check misses). Without the id the SDK drops
// the query parameter: each part becomes a plain PUT of the key and the abort a DELETE of it, so a copy already
// journaled there went, and a strip's Complete (a bare POST) was refused and bounced the message.
// F44-3: an UploadPart answered 404 NoSuchUpload, or 404 with no body: transient like Complete's same answers.
const ERROR_200 =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>\n';
const NO_SUCH_UPLOAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message><RequestId>R3</RequestId><HostId>H3</HostId></Error>';

const t = proxiedStack([JOURNAL, UPDATES]);
const isCreate = (req: IncomingMessage) => req.method === 'POST' && /[?&]uploads(=|&|$)/.test(req.url ?? '');

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
});

const ev = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });

describe('F44-1: archiver, journal in parts, CreateMultipartUpload answered 200 with an empty body (no UploadId)', () => {
  it('never deletes nor overwrites the copy already at the key, and sends no part or abort without an uploadId', async () => {
    const bytes = bigMessage(11_000_000, 'f44-1-journal');
    const id = t.stack.flow.load(bytes);
    const key = `j/${id}`;
    // A copy already journaled at the key (an earlier invocation of the event): first writer wins.
    const first = Buffer.from(bytes);
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: first }));
    // WorkMail's answer chunked: no announced size, so the copy goes in parts.
    t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
    let faults = 1;
    t.s3p.decide = (req) => {
      if (isCreate(req) && faults > 0) {
        faults--;
        return { do: 'answer', status: 200, headers: { 'content-type': 'application/xml' }, body: '' };
      }
      return { do: 'forward' };
    };
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    // One invocation (it fails, WorkMail would retry it): what it did to the key meanwhile.
    const once = await invoke(handler, makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }));
    const failure = once.error ? describeErrors([once.error]) : 'none (answered)';
    const log = t.s3p.log.map((l) => l.replace(/\/journal-bucket\/j\/[^?]*/, '<key>')).join(' | ');
    const bare = t.s3p.log.filter(
      (l) =>
        /^(PUT|DELETE|POST) /.test(l) &&
        /x-id=(UploadPart|AbortMultipartUpload)|^POST [^?]*$/.test(l.split(' -> ')[0] ?? '') &&
        !/uploadId=/.test(l),
    );
    expect.soft(bare, `requests without an uploadId: ${log}; failure ${failure}`).toEqual([]);
    const copy = await stored(t.stack, JOURNAL, key);
    expect.soft(copy?.length, `the copy at the key was deleted or overwritten: ${log}`).toBe(first.length);
    expect.soft(sha256(copy ?? Buffer.alloc(0))).toBe(sha256(first));
  }, 240_000);
});

describe('F44-1b: CreateMultipartUpload of a 6 MB update answered 200 without an UploadId', () => {
  it.each([
    ['an <Error> document and a line end', ERROR_200],
    ['an empty body', ''],
  ])(
    'guard strip, answered %s: fails (retry) or commits stripped, never bounces',
    async (_label, body) => {
      const bytes = withExe(6_000_000, `f44-create-${body.length}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.s3p.decide = (req) => {
        if (isCreate(req) && faults > 0) {
          faults--;
          return { do: 'answer', status: 200, headers: { 'content-type': 'application/xml' }, body };
        }
        // S3 takes a POST to the key with no uploadId for a browser-form upload (POST Object) and refuses a body
        // that is not multipart/form-data; the emulator answers 501 instead, which hides what follows.
        if (req.method === 'POST' && !/[?&]upload/.test(req.url ?? ''))
          return {
            do: 'answer',
            status: 400,
            headers: { 'content-type': 'application/xml' },
            body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>MalformedPOSTRequest</Code><Message>The body of your POST request is not well-formed multipart/form-data.</Message><RequestId>R2</RequestId><HostId>H2</HostId></Error>',
          };
        return { do: 'forward' };
      };
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
      });
      const run = await invokeUntilAnswered(handler, ev(id), 4);
      expect(
        firstAction(run.response),
        `response ${JSON.stringify(run.response)}; errors: ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`,
      ).toBe('DEFAULT');
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(out.includes('run.exe')).toBe(false);
    },
    240_000,
  );
});

describe('F44-3: UploadPart of a 6 MB update answered 404', () => {
  it.each([
    ['NoSuchUpload', NO_SUCH_UPLOAD],
    ['with no body', ''],
  ])(
    'guard strip, part answered 404 %s: fails (retry) or commits stripped, never bounces',
    async (_l, body) => {
      const bytes = withExe(6_000_000, `f44-3-${body.length}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.s3p.decide = (req) => {
        if (isUploadPart(req) && faults > 0) {
          faults--;
          return { do: 'answer', status: 404, headers: { 'content-type': 'application/xml' }, body };
        }
        return { do: 'forward' };
      };
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
      });
      const run = await invokeUntilAnswered(handler, ev(id), 4);
      expect(
        firstAction(run.response),
        `response ${JSON.stringify(run.response)}; errors: ${describeErrors(run.errors)}`,
      ).toBe('DEFAULT');
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(out.includes('run.exe')).toBe(false);
    },
    240_000,
  );
});
