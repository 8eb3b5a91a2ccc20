import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Act, isPlainPut, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

// Deployed as template.yaml deploys it (AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_SUPPORTED), the SDK sends a checksum
// of every upload's bytes and S3 refuses bytes that do not match it, so the journal and the parted upload skip
// fault round 88's MD5 of their own (one per upload). Here the local S3, which verifies checksums as S3 does, stands
// behind a proxy that cuts an upload's body on its way, Content-Length cut to match: the cut never lands. And a
// store answering an ETag that is no MD5 of the bytes (an S3-compatible store under encryption) journals at once.
const t = proxiedStack([JOURNAL, UPDATES], {
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_SUPPORTED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED',
});
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const journalWrite = (id: string) => (req: IncomingMessage) =>
  (isPlainPut(req) || isUploadPart(req)) &&
  pathOf(req).startsWith(`/${JOURNAL}/`) &&
  pathOf(req).includes(id);

/** Sends `req` on to the local S3 with its body cut to `keep` bytes and its Content-Length cut to match. */
async function forwardCut(req: IncomingMessage, body: Buffer, keep: number): Promise<Act> {
  const endpoint = await t.stack.s3.config.endpoint?.();
  const cut = body.subarray(0, keep);
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const out = request(
      {
        host: endpoint?.hostname,
        port: endpoint?.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'content-length': String(cut.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    out.on('error', reject);
    out.end(cut);
  });
  return {
    do: 'answer',
    status: answer.status,
    headers: { 'content-type': 'application/xml' },
    body: answer.text,
  };
}

const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'vs/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });

describe('an upload S3 verifies against the SDK checksum (WHEN_SUPPORTED)', () => {
  it.each([
    ['a message journaled in one streamed PutObject', 300_000, 'forward'],
    ['a message journaled in parts (answered chunked)', 12_000_000, 'forward-chunked'],
  ] as const)(
    '%s, its body cut on its way with its length: refused by S3, never journaled cut; the retry journals it whole',
    async (label, size, read) => {
      const bytes = bigMessage(size, `verified-${label}`);
      const id = t.stack.flow.load(bytes);
      t.flowp.decide = (req) => (req.method === 'GET' ? { do: read } : { do: 'forward' });
      let faults = 1;
      const statuses: number[] = [];
      t.s3p.decide = async (req, body) => {
        if (faults > 0 && journalWrite(id)(req)) {
          faults--;
          const act = await forwardCut(req, body, Math.floor(body.length / 2));
          if (act.do === 'answer') statuses.push(act.status);
          return act;
        }
        return { do: 'forward' };
      };
      const run = await invokeUntilAnswered(
        handler(),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        4,
      );
      const facts = `answered ${run.answered}; ${describeErrors(run.errors)}; S3 answered the cut ${statuses.join(',')}`;
      // The store refused the cut bytes itself (the proxy relays its answer).
      expect(statuses.length, facts).toBe(1);
      expect(statuses[0], facts).toBeGreaterThanOrEqual(400);
      expect(run.answered, facts).toBe(true);
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        facts,
      ).toEqual([]);
      expect(
        copies.filter((k) => k.includes(id)),
        facts,
      ).toHaveLength(1);
    },
    240_000,
  );

  it('a store answering an ETag that is no MD5 of the bytes it verified: journaled at the first invocation', async () => {
    const bytes = bigMessage(300_000, 'verified-etag-not-md5');
    const id = t.stack.flow.load(bytes);
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req) === `/${JOURNAL}/vs/${id}`
        ? {
            do: 'apply-then-answer',
            status: 200,
            headers: { etag: '"0123456789abcdef0123456789abcdef"' },
            body: '',
          }
        : { do: 'forward' };
    const run = await invokeUntilAnswered(
      handler(),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      1,
    );
    const facts = `answered ${run.answered}; ${describeErrors(run.errors)}`;
    expect(run.answered, facts).toBe(true);
    const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(
      problems.filter((p) => p.includes(id)),
      facts,
    ).toEqual([]);
    expect(
      copies.filter((k) => k.includes(id)),
      facts,
    ).toHaveLength(1);
  }, 120_000);
});
