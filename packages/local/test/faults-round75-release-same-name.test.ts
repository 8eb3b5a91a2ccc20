import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { releaseMessage, s3Place } from '../src/quarantine/quarantine.js';

// Fault round 75 (identity collisions), held: `wmflow quarantine release` delivers a message under its name (the last
// segment of its key) below `--to`, so two quarantined messages with one name in two prefixes (two receipt rules,
// two regions' rules writing to one bucket) meet at one delivered key. The second is never taken for the first: other
// bytes there refuse it, nothing overwritten; only the same bytes (the same message quarantined twice) count as
// `already released`.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  const put = (Key: string, Body: string) =>
    stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('quarantine/us-east-1/o3vdsame', 'From: ann@partner.example\r\nSubject: first\r\n\r\nfirst\r\n');
  await put('quarantine/eu-west-1/o3vdsame', 'From: bob@other.example\r\nSubject: second\r\n\r\nsecond\r\n');
  await put('quarantine/eu-west-1/o3vdtwin', 'From: ann@partner.example\r\nSubject: twin\r\n\r\ntwin\r\n');
  await put('quarantine/us-east-1/o3vdtwin', 'From: ann@partner.example\r\nSubject: twin\r\n\r\ntwin\r\n');
});
afterAll(async () => {
  await stack.stop();
});

const delivered = async (key: string) =>
  (await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString();

describe('F75 held: two quarantined messages released to one delivered name', () => {
  it('other bytes under the name: the second is refused, the first stays', async () => {
    const to = s3Place(`s3://${BUCKET}/delivered/`);
    const first = await releaseMessage(stack.s3, s3Place(`s3://${BUCKET}/quarantine/us-east-1/o3vdsame`), to);
    expect(first.outcome).toBe('released');
    await expect(
      releaseMessage(stack.s3, s3Place(`s3://${BUCKET}/quarantine/eu-west-1/o3vdsame`), to),
    ).rejects.toThrow(/already holds another message .*not overwritten, not released/);
    expect(await delivered('delivered/o3vdsame')).toContain('Subject: first');
  });

  it('the same bytes under the name: `already released`, one copy', async () => {
    const to = s3Place(`s3://${BUCKET}/delivered/`);
    const a = await releaseMessage(stack.s3, s3Place(`s3://${BUCKET}/quarantine/eu-west-1/o3vdtwin`), to);
    const b = await releaseMessage(stack.s3, s3Place(`s3://${BUCKET}/quarantine/us-east-1/o3vdtwin`), to);
    expect([a.outcome, b.outcome]).toEqual(['released', 'already released']);
    expect(await delivered('delivered/o3vdtwin')).toContain('Subject: twin');
  });
});
