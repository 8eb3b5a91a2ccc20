import { crc32 } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { JOURNAL, stored, UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 72: the SES stored message answered with a part of the object that carries its own checksum — what
// S3 answers to `GetObject … partNumber=1` of a multipart object (206, Content-Range, the part's
// `x-amz-checksum-crc32`), served for the plain GET by something in between. Round 47 refuses a part (206, a
// Content-Range) by the answer's status and headers; but when the answer carries a full-object checksum the SDK hands
// the body on wrapped in its checksum stream, which has neither, so the part passed as the whole message — and its
// checksum, of the part's bytes, held. archiver-ses journaled the part as the message's copy (10000 of 20000-odd
// bytes, answered CONTINUE), guard-ses inspected the part only and let the message go on with the attachment past it
// uninspected. Both must now fail (or block) as round 47 has them do without the checksum header.
const t = proxyBefore('S3', [JOURNAL, UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const PREFIX = 'inbound/';
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};

async function store(): Promise<{ id: string; bytes: Buffer }> {
  const id = sesMessageId();
  const bytes = withExe(20_000, `f72-part-${id}`);
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return { id, bytes };
}

/** The object's first 10000 bytes as S3 answers a part: 206, its range, the part's own checksum. */
function firstPart(bytes: Buffer, checksum: boolean): Act {
  const part = bytes.subarray(0, 10_000);
  return {
    do: 'answer',
    status: 206,
    headers: {
      'content-type': 'application/octet-stream',
      etag: '"0123456789abcdef0123456789abcdef-2"',
      'content-range': `bytes 0-9999/${bytes.length}`,
      'x-amz-mp-parts-count': '2',
      ...(checksum ? { 'x-amz-checksum-crc32': crc(part) } : {}),
    },
    body: part.toString('latin1'),
  };
}

async function invoke(
  handler: ReturnType<typeof guardSes>,
  id: string,
  bytes: Buffer,
  checksum: boolean,
): Promise<string> {
  const path = `/${UPDATES}/${PREFIX}${id}`;
  t.proxy.decide = (req) =>
    req.method === 'GET' && pathOf(req) === path ? firstPart(bytes, checksum) : { do: 'forward' };
  try {
    return await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 30_000 }),
    ).then(
      (answer) => (answer as { disposition: string }).disposition,
      (error: Error) => `error ${error.message}`,
    );
  } finally {
    t.proxy.decide = () => ({ do: 'forward' });
  }
}

const archiver = () =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'j/{messageId}',
  });
const guard = () =>
  guardSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ORGANIZATION_DOMAINS: 'corp.example',
  });

describe.each([
  ['WHEN_SUPPORTED (as deployed)', 'WHEN_SUPPORTED'],
  ['WHEN_REQUIRED', 'WHEN_REQUIRED'],
])('F72-2: a part of the stored object with its own checksum, validation %s', (_label, mode) => {
  const withMode = async <T>(run: () => Promise<T>): Promise<T> => {
    const before = process.env.AWS_RESPONSE_CHECKSUM_VALIDATION;
    process.env.AWS_RESPONSE_CHECKSUM_VALIDATION = mode;
    const { resetDefaultClients } = await import('@wmflow/core');
    resetDefaultClients();
    try {
      return await run();
    } finally {
      process.env.AWS_RESPONSE_CHECKSUM_VALIDATION = before;
      resetDefaultClients();
    }
  };

  it('archiver-ses fails, journaling nothing (never the part as the copy)', async () => {
    await withMode(async () => {
      const { id, bytes } = await store();
      expect(await invoke(archiver(), id, bytes, true)).toMatch(/^error .*part of the object/);
      expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
      expect(await stored(t.stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
    });
  }, 60_000);

  it('guard-ses does not let the message go on with the part inspected only', async () => {
    await withMode(async () => {
      const { id, bytes } = await store();
      expect(await invoke(guard(), id, bytes, true)).not.toBe('CONTINUE');
    });
  }, 60_000);
});

describe('F72-2 controls', () => {
  it('the part without a checksum header is refused (round 47, held)', async () => {
    const { id, bytes } = await store();
    expect(await invoke(archiver(), id, bytes, false)).toMatch(/^error .*part of the object/);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
  }, 60_000);

  it('the whole object as stored is journaled byte for byte', async () => {
    const { id, bytes } = await store();
    const answer = await archiver()(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 30_000 }),
    );
    expect((answer as { disposition: string }).disposition).toBe('CONTINUE');
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 60_000);
});
