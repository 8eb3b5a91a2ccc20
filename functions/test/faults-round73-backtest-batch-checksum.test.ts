import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner, journalClient } from '../../packages/local/src/backtest/batch.js';
import { guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 73: the Step Functions batch Lambda of `wmflow backtest --remote` reads journal copies with the SDK's
// checksum validation on (the SDK's default: template-backtest.yaml sets nothing), through `journalClient`.
// F73-1: `journalClient` fixes region, credentials and endpoint at construction, because the batch's session points
// `process.env` at the local stack before the first read — and so it did, unseen, with the checksum setting: the
// journal was read with the stack's `WHEN_REQUIRED`, no checksum asked for. A byte changed on its way, under the
// object's true `x-amz-checksum-crc32`, was then caught only by the metadata's SHA-256 and reported "a changed copy"
// for good (the copy in S3 is sound; a retry reads it whole), and a copy journaled without metadata was judged with
// the changed byte. F73-1b: with the check on, the SDK fails with a plain `Error` ("Checksum mismatch"), which
// `isTransient` did not know: a failed line for good, where round 52 fails the batch so the Map retries it.
// F73-2 (guards, passed before): with the check on, a part of the object with its own checksum (206, its range, the
// part's CRC-32) must still be refused (round 72's `keepAnswerOnBody`, now on `journalClient` too).
const t = proxiedStack([JOURNAL, UPDATES], { AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED' });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};
const KEY = 'journal/inbound/2026/12/07/f73-1-0000';
const OTHER = 'journal/inbound/2026/12/07/f73-1-0001';
const BARE = 'journal/inbound/2026/12/07/f73-1-0002';
const whole = bigMessage(20_000, 'f73-1');

const metadataOf = (key: string, body: Buffer) =>
  JSON.stringify({
    key,
    messageId: key.split('/').at(-1),
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(body),
    size: body.length,
  });

beforeAll(async () => {
  for (const key of [KEY, OTHER]) {
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: whole }));
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: `${key}.json`, Body: metadataOf(key, whole) }),
    );
  }
  // A copy journaled without metadata (METADATA=false).
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: BARE, Body: whole }));
});

/** The message's answer with one byte changed on its way, under its true checksum and length. */
function flipped(): Act {
  const body = Buffer.from(whole);
  body[body.length - 100] = (body[body.length - 100] ?? 0) ^ 0x01;
  return {
    do: 'answer',
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      etag: '"0123456789abcdef0123456789abcdef"',
      'x-amz-checksum-crc32': crc(whole),
    },
    body: body.toString('latin1'),
  };
}

/** The object's first part, as S3 answers `partNumber=1`: 206, its range, its own CRC-32. */
function part(): Act {
  const first = whole.subarray(0, 8_000);
  return {
    do: 'answer',
    status: 206,
    headers: {
      'content-type': 'application/octet-stream',
      'content-range': `bytes 0-${first.length - 1}/${whole.length}`,
      etag: '"0123456789abcdef0123456789abcdef-3"',
      'x-amz-mp-parts-count': '3',
      'x-amz-checksum-crc32': crc(first),
    },
    body: first.toString('latin1'),
  };
}

/** The deployed batch Lambda's client, as `lambda.ts` builds it, pointed at the proxy. */
const deployed = () =>
  journalClient({
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: t.s3p.endpoint,
  });

/** Runs one batch with `fault` applied to GETs of `path`; what the batch gave, or why it failed. */
async function batchWith(
  items: string[],
  path: string,
  fault: Act,
  journal: S3Client = deployed(),
): Promise<string[][] | string> {
  t.s3p.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
  try {
    const run = batchRunner(journal);
    const { lines } = await run({
      Items: items.map((Key) => ({ Key })),
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
    });
    return lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged']);
  } catch (error) {
    return `batch failed: ${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    t.s3p.decide = () => ({ do: 'forward' });
  }
}

const BOTH = [KEY, `${KEY}.json`, OTHER, `${OTHER}.json`];

describe('F73-1: a checksum mismatch reading a journal copy fails the batch, so the Map retries it', () => {
  it('the deployed client: a byte changed on its way under the true CRC-32', async () => {
    expect(await batchWith(BOTH, `/${JOURNAL}/${KEY}`, flipped())).toMatch(
      /^batch failed: Error: Checksum mismatch/,
    );
  }, 120_000);

  it('the deployed client, a copy journaled without metadata: the changed byte is not judged', async () => {
    expect(await batchWith([BARE, OTHER, `${OTHER}.json`], `/${JOURNAL}/${BARE}`, flipped())).toMatch(
      /^batch failed: Error: Checksum mismatch/,
    );
  }, 120_000);

  it('a client with validation WHEN_SUPPORTED and no wmflow middleware: the same', async () => {
    const plain = new S3Client({
      endpoint: t.s3p.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
      responseChecksumValidation: 'WHEN_SUPPORTED',
    });
    expect(await batchWith(BOTH, `/${JOURNAL}/${KEY}`, flipped(), plain)).toMatch(
      /^batch failed: Error: Checksum mismatch/,
    );
  }, 120_000);
});

describe('F73-2: the batch Lambda refuses a part of the object that carries its own checksum', () => {
  it('with metadata: the batch fails (a transfer to retry), not "a cut or changed copy" for good', async () => {
    expect(await batchWith(BOTH, `/${JOURNAL}/${KEY}`, part())).toMatch(
      /^batch failed: TransientError: .*a part of the object/,
    );
  }, 120_000);

  it('without metadata: the part is not judged as the journal copy', async () => {
    expect(await batchWith([BARE, OTHER, `${OTHER}.json`], `/${JOURNAL}/${BARE}`, part())).toMatch(
      /^batch failed: TransientError: .*a part of the object/,
    );
  }, 120_000);

  it('control: nothing injected, every copy judged through the deployed client', async () => {
    expect(await batchWith([...BOTH, BARE], '/none', { do: 'forward' })).toEqual([
      [KEY, 'judged'],
      [OTHER, 'judged'],
      [BARE, 'judged'],
    ]);
  }, 120_000);
});
