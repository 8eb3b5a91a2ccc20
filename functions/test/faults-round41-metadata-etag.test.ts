import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, describeErrors, invoke, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// F41-2: when `<key>.json` is taken by a metadata object that describes other bytes, the journal rewrites it with an
// UNCONDITIONAL PutObject (packages/rules/src/journal/write.ts, writeMetadata) whose answer is not checked for an ETag
// (every other journal write goes through requireETag: "an S3 write counts only with its ETag", fault rounds 31/32).
// A 200 without an ETag (an intermediary's answer, S3 having stored nothing) is taken for the rewrite: the
// invocation answers "journaled" while the metadata still describes other bytes.
const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });

describe('F41-2: the metadata rewrite answered 200 without an ETag', () => {
  it('the invocation fails (retried) unless the metadata that ends up stored describes the copy', async () => {
    const bytes = bigMessage(50_000, 'f41-2-meta-rewrite');
    const id = t.stack.flow.load(bytes);
    // A metadata object already at the key that describes other bytes (a stale or foreign record).
    const stale = { key: `j/${id}`, sha256: '0'.repeat(64), size: 1, direction: 'INBOUND' };
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: `j/${id}.json`, Body: JSON.stringify(stale) }),
    );
    const seen: string[] = [];
    t.s3p.decide = (req) => {
      const conditional = req.headers['if-none-match'] !== undefined;
      if (isPlainPut(req) && pathOf(req).endsWith(`/j/${id}.json`)) {
        seen.push(conditional ? 'metadata PUT If-None-Match' : 'metadata PUT unconditional');
        // The unconditional rewrite: a 200 with no ETag, nothing stored.
        if (!conditional) return { do: 'answer', status: 200, body: '' };
      }
      return { do: 'forward' };
    };
    const { error } = await invoke(
      handler(),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
    );
    const copy = await stored(t.stack, JOURNAL, `j/${id}`);
    const meta = JSON.parse((await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString() ?? '{}');
    const facts = {
      invocation: error ? `failed: ${describeErrors([error])}` : 'succeeded',
      copyWhole: copy !== undefined && sha256(copy) === sha256(bytes),
      metadataDescribesCopy: meta.sha256 === sha256(bytes) && meta.size === bytes.length,
      seen,
    };
    expect(facts.copyWhole, JSON.stringify(facts)).toBe(true);
    expect(facts.invocation !== 'succeeded' || facts.metadataDescribesCopy, JSON.stringify(facts)).toBe(true);
  }, 60_000);
});
