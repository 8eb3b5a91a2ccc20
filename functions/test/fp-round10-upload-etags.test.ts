import { randomBytes } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { flow } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { journalToS3 } from '@wmflow/rules';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  stored,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// False-positive round 10 (fault round 88 compares each upload's ETag with the MD5 of the bytes sent when the ETag
// looks like one: 32 hex digits, no SSE-KMS/DSSE/SSE-C header, not a directory bucket): the answers S3 gives for an
// ordinary journal or staged update must still be taken: the template's journal bucket under Object Lock (each copy
// sent with a SHA-256 checksum), in one piece and in parts; a bucket whose default is SSE-KMS (the ETag no MD5, the
// header said); and what a store whose ETag is no MD5 yet says no encryption does to the journal.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const KMS = {
  'x-amz-server-side-encryption': 'aws:kms',
  'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/1234abcd',
};
const randomETag = () => `"${randomBytes(16).toString('hex')}"`;

async function exists(bucket: string, key: string): Promise<boolean> {
  return t.stack.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

/**
 * Every PutObject whose path holds `id`, over a key not there yet, is stored, then answered 200 with an ETag that is
 * no MD5 of its bytes and `headers`; a conditional PutObject over a taken key goes on to S3 (412). (Parts are not
 * answered so: the store would then refuse the Complete naming an ETag it never gave.)
 */
function etagNotMd5(id: string, headers: Record<string, string>) {
  const seen: string[] = [];
  t.s3p.decide = async (req): Promise<Act> => {
    const path = pathOf(req);
    if (!path.includes(id) || !isPlainPut(req) || path.endsWith('.json')) return { do: 'forward' };
    const [bucket = '', ...key] = path.slice(1).split('/');
    if (await exists(bucket, key.join('/'))) return { do: 'forward' };
    seen.push(path);
    return { do: 'apply-then-answer', status: 200, headers: { etag: randomETag(), ...headers }, body: '' };
  };
  return seen;
}

async function archive(handler: ReturnType<typeof archiver>, bytes: Buffer, tries = 3) {
  const id = t.stack.flow.load(bytes);
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  return { id, run: await invokeUntilAnswered(handler, event, tries) };
}

async function journaled(prefix: string, bytes: Buffer): Promise<string[]> {
  const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.startsWith(prefix));
  const copies = keys.filter((k) => !k.endsWith('.json'));
  for (const key of copies) expect((await stored(t.stack, JOURNAL, key))?.equals(bytes), key).toBe(true);
  return copies;
}

describe('FP10-S3: ordinary journal and staged writes as S3 answers them', () => {
  it('archiver under Object Lock (RETENTION_DAYS, a SHA-256 checksum per copy): journaled at the first attempt', async () => {
    const bytes = bigMessage(300_000, 'fp10-lock');
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      ORGANIZATION_DOMAINS: 'corp.example',
      KEY_TEMPLATE: 'lock/{messageId}',
      RETENTION_DAYS: '30',
    });
    const { id, run } = await archive(handler, bytes, 1);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    expect(await journaled(`lock/${id}`, bytes)).toEqual([`lock/${id}`]);
  }, 60_000);

  it('journalToS3 under Object Lock in parts (12 MB, SHA-256 per part): journaled at the first attempt', async () => {
    const bytes = bigMessage(12_000_000, 'fp10-lock-parts');
    const handler = flow({
      synchronous: false,
      rules: [
        journalToS3({
          bucket: JOURNAL,
          keyTemplate: 'lockparts/{messageId}',
          retention: { mode: 'GOVERNANCE', days: 1 },
          streamMaxBytes: 0,
        }),
      ],
    });
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    await handler(event, lambdaContext({ timeoutMs: 120_000 }));
    expect(await journaled(`lockparts/${id}`, bytes)).toEqual([`lockparts/${id}`]);
  }, 120_000);

  it('a bucket whose default is SSE-KMS (ETag no MD5, the header said), journaled at once', async () => {
    const small = bigMessage(100_000, 'fp10-kms');
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      ORGANIZATION_DOMAINS: 'corp.example',
      KEY_TEMPLATE: 'kms/{messageId}',
    });
    const id = t.stack.flow.load(small);
    const seen = etagNotMd5(id, KMS);
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 1);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(await journaled(`kms/${id}`, small)).toEqual([`kms/${id}`]);
  }, 60_000);

  it("guard's strip staged in an updates bucket whose default is SSE-KMS: stripped and delivered", async () => {
    const bytes = withExe(200_000, 'fp10-strip-kms');
    const id = t.stack.flow.load(bytes);
    etagNotMd5(id, KMS);
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
    const run = await invokeUntilAnswered(handler, event, 1);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    expect(out.includes('run.exe')).toBe(false);
  }, 60_000);

  it('a store whose ETag is no MD5 and says no encryption (an S3-compatible store): the copy journaled, verified by reading it back', async () => {
    const bytes = bigMessage(100_000, 'fp10-compat');
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      ORGANIZATION_DOMAINS: 'corp.example',
      KEY_TEMPLATE: 'compat/{messageId}',
    });
    const id = t.stack.flow.load(bytes);
    const seen = etagNotMd5(id, {});
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 1);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    // The first PutObject answered with the foreign ETag (transient); the next found the key taken (412) and read the
    // stored copy back: the same bytes, so journaled at the key, no repair copy.
    expect(seen).toHaveLength(1);
    expect(await journaled(`compat/${id}`, bytes)).toEqual([`compat/${id}`]);
  }, 60_000);
});
