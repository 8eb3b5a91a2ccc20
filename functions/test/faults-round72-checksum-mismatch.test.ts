import { crc32 } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { bigMessage, JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 72 (probe, held): the SES stored message read with the SDK's checksum validation on, as template.yaml
// deploys it (`AWS_RESPONSE_CHECKSUM_VALIDATION=WHEN_SUPPORTED`; the local stack's own default is WHEN_REQUIRED, so
// no earlier test took this path). GetObject then sends `x-amz-checksum-mode: ENABLED` and the SDK hands the body
// on through its checksum stream, which passes every byte on and fails only at the end when the bytes do not match
// the answer's `x-amz-checksum-crc32` — with a plain `Error` ("Checksum mismatch"), not one of S3's error names. Here
// one byte near the end is flipped on its way, under the stored object's true CRC-32 and length. archiver-ses must
// fail, journaling nothing (no copy of the flipped bytes under the key); guard-ses must not let the message go on.
const t = proxyBefore('S3', [JOURNAL, UPDATES], {
  AWS_MAX_ATTEMPTS: '1',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED',
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_SUPPORTED',
});
const PREFIX = 'inbound/';
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};

async function store(): Promise<{ id: string; bytes: Buffer }> {
  const id = sesMessageId();
  const bytes = bigMessage(20_000, `f72-${id}`);
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return { id, bytes };
}

/** The stored object's answer with one byte flipped, under its true checksum and length. */
function flipped(bytes: Buffer): Act {
  const body = Buffer.from(bytes);
  body[body.length - 100] = (body[body.length - 100] ?? 0) ^ 0x01;
  return {
    do: 'answer',
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      etag: '"0123456789abcdef0123456789abcdef"',
      'x-amz-checksum-crc32': crc(bytes),
    },
    body: body.toString('latin1'),
  };
}

async function invoke(handler: ReturnType<typeof guardSes>, id: string, bytes: Buffer) {
  const path = `/${UPDATES}/${PREFIX}${id}`;
  t.proxy.decide = (req) =>
    req.method === 'GET' && pathOf(req) === path ? flipped(bytes) : { do: 'forward' };
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  try {
    return await handler(event, lambdaContext({ timeoutMs: 30_000 })).then(
      (answer) => (answer as { disposition: string }).disposition,
      (error: Error) => `error ${error.message}`,
    );
  } finally {
    t.proxy.decide = () => ({ do: 'forward' });
  }
}

describe('F72 probe: a byte flipped on its way under the stored object checksum (held)', () => {
  it('archiver-ses fails, journaling nothing', async () => {
    const { id, bytes } = await store();
    const handler = archiverSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: PREFIX,
      ORGANIZATION_DOMAINS: 'corp.example',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
    });
    expect(await invoke(handler, id, bytes)).toMatch(/^error .*Checksum mismatch/);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
    expect(await stored(t.stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
  }, 60_000);

  it('guard-ses does not let the message go on uninspected', async () => {
    const { id, bytes } = await store();
    const handler = guardSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: PREFIX,
      BOUNCE_SENDER: 'postmaster@corp.example',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    expect(await invoke(handler, id, bytes)).not.toBe('CONTINUE');
  }, 60_000);

  it('control: the same answer with the bytes as stored is journaled byte for byte', async () => {
    const { id, bytes } = await store();
    const handler = archiverSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: PREFIX,
      ORGANIZATION_DOMAINS: 'corp.example',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
    });
    const answer = await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 30_000 }),
    );
    expect((answer as { disposition: string }).disposition).toBe('CONTINUE');
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 60_000);
});
