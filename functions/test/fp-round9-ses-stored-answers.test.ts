import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { bigMessage, JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// False-positive round 9 (fault round 87 made guard-ses and archiver-ses check the stored message's bytes against its
// ETag when the ETag looks like an MD5, one piece, unencrypted or SSE-S3): the answers S3 gives for ordinary stored
// mail must still be read and journaled whole: an object under SSE-KMS or DSSE-KMS (a bucket default; its ETag is no
// MD5), one stored in parts (an ETag with a dash), SSE-S3 stated, one with a checksum stored, and a 20 MB message.
const t = proxyBefore('S3', [JOURNAL, UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const PREFIX = 'inbound/';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function store(size = 20_000, checksum = false): Promise<{ id: string; bytes: Buffer }> {
  const id = sesMessageId();
  const bytes = bigMessage(size, `fp9-${id}`);
  await t.stack.s3.send(
    new PutObjectCommand({
      Bucket: UPDATES,
      Key: `${PREFIX}${id}`,
      Body: bytes,
      ...(checksum ? { ChecksumAlgorithm: 'CRC32' as const } : {}),
    }),
  );
  t.stack.ses.receive(id);
  return { id, bytes };
}

/** The whole object, answered with the ETag and encryption headers S3 gives for it when so stored. */
function whole(bytes: Buffer, headers: Record<string, string>): Act {
  return {
    do: 'answer',
    status: 200,
    headers: { 'content-type': 'message/rfc822', 'last-modified': new Date().toUTCString(), ...headers },
    body: bytes.toString('latin1'),
  };
}

async function invoke(handler: ReturnType<typeof guardSes>, id: string, fault: Act) {
  const path = `/${UPDATES}/${PREFIX}${id}`;
  t.proxy.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
  try {
    return await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 60_000 }),
    ).then(
      (answer) => (answer as { disposition: string }).disposition,
      (error: Error) => `error ${error.name}: ${error.message}`,
    );
  } finally {
    t.proxy.decide = () => ({ do: 'forward' });
  }
}

const guard = () =>
  guardSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ORGANIZATION_DOMAINS: 'corp.example',
  });
const archiver = () =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'j/{messageId}',
  });
const KMS = {
  'x-amz-server-side-encryption': 'aws:kms',
  'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/1234abcd',
};

describe('FP9-4: the stored message as S3 answers it (read, journaled whole)', () => {
  const answers: Record<string, (bytes: Buffer) => Record<string, string>> = {
    'SSE-KMS by bucket default (the ETag no MD5)': () => ({
      etag: `"${randomBytes(16).toString('hex')}"`,
      ...KMS,
    }),
    'SSE-KMS with a bucket key': () => ({
      etag: `"${randomBytes(16).toString('hex')}"`,
      ...KMS,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    }),
    'DSSE-KMS': () => ({
      etag: `"${randomBytes(16).toString('hex')}"`,
      'x-amz-server-side-encryption': 'aws:kms:dsse',
    }),
    'stored in parts (an ETag with a dash)': () => ({ etag: `"${randomBytes(16).toString('hex')}-3"` }),
    'SSE-S3 stated, the ETag its MD5': (bytes) => ({
      etag: `"${md5(bytes)}"`,
      'x-amz-server-side-encryption': 'AES256',
    }),
  };
  for (const [name, headers] of Object.entries(answers)) {
    it(`${name}: guard-ses goes on, archiver-ses journals the whole message`, async () => {
      const { id, bytes } = await store();
      const act = (b: Buffer) => whole(b, headers(b));
      const fixed = act(bytes);
      expect(await invoke(guard(), id, fixed)).toBe('CONTINUE');
      expect(await invoke(archiver(), id, fixed)).not.toMatch(/^error /);
      expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
    }, 60_000);
  }

  it('stored with a CRC-32 checksum, answered by the store: read and journaled', async () => {
    const { id, bytes } = await store(20_000, true);
    expect(await invoke(guard(), id, { do: 'forward' })).toBe('CONTINUE');
    expect(await invoke(archiver(), id, { do: 'forward' })).not.toMatch(/^error /);
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 60_000);

  it('a 20 MB message (one piece, its MD5 checked): read and journaled whole', async () => {
    const { id, bytes } = await store(20_000_000);
    expect(await invoke(guard(), id, { do: 'forward' })).toBe('CONTINUE');
    expect(await invoke(archiver(), id, { do: 'forward' })).not.toMatch(/^error /);
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 120_000);

  it('a 12 MB message under SSE-KMS, journaled in parts (each re-read answered the same ETag)', async () => {
    const { id, bytes } = await store(12_000_000);
    const fixed = whole(bytes, { etag: `"${randomBytes(16).toString('hex')}"`, ...KMS });
    expect(await invoke(archiver(), id, fixed)).not.toMatch(/^error /);
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 120_000);
});
