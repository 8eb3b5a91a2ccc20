import { crc32 } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, forgeCrc, openStored, storedMail } from '../../test/support/stored-replaced.js';

// Fault round 65: guard-ses / archiver-ses read the stored message again (a header read releases the transfer, a
// body read or the journal's stream fetches it again). The object is replaced between the reads by one of the same
// length whose first bytes are the same, the rest other. Held: what one invocation reads is one object whole, or the
// read fails. F65-5: the bytes a pass-on reader (the journal) handed out were checked on a later fetch by their length
// and CRC-32 only, which four chosen bytes make repeat: a later reader of the invocation got the forged object. Every
// fetch after the first is now pinned to the first answer's ETag (If-Match): S3's 412 fails it, `changed`.
const BUCKET = 'inbound-mail-r65';
const PREFIX = 'inbound/';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const MESSAGE_ID = '<r65.stored@partner.example>';
const mail = (tail: string, same?: number) => storedMail(MESSAGE_ID, tail, same);
const store = (id: string, bytes: Buffer) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${id}`, Body: bytes }));
const open = (id: string) => openStored(stack.s3, BUCKET, PREFIX, id, MESSAGE_ID);

describe('the stored message replaced between reads, same length and first bytes (fault round 65, held)', () => {
  it('header read, then replaced: the body read is the new object whole, never the old one past the held start', async () => {
    const first = mail('the report');
    const second = mail('wire it now');
    await store('same-start', first);
    const message = open('same-start');
    try {
      expect((await message.headers()).subject).toBe('report');
      await store('same-start', second);
      const read = await message.bytes().then(
        (b) => b,
        (e: Error) => e,
      );
      if (read instanceof Error) expect(read.message).toMatch(/fetched again/);
      else expect(read.equals(second), 'a message spliced from two objects').toBe(true);
    } finally {
      await message.close();
    }
  }, 60_000);

  it('the journal streams one object past the hand-off, the object is replaced again: a later reader fails, never sees the other', async () => {
    await store('two-readers', mail('the report'));
    const message = open('two-readers');
    try {
      await message.headers();
      message.beginFinalReads();
      // The journal's pass-on read: its bytes past the hand-off are handed on, not kept.
      const journaled = await drain(message.stream());
      expect(journaled).toBeInstanceOf(Buffer);
      expect((journaled as Buffer).equals(mail('the report'))).toBe(true);
      await store('two-readers', mail('wire it now'));
      // A later full read (the editor at commit) fetches the tail again: not the journaled bytes, so it must fail.
      const later = await drain(message.lastStream());
      expect(later, 'a later reader got other bytes than the journal').toBeInstanceOf(Error);
      expect((later as Error).message).toMatch(/fetched again|changed/);
    } finally {
      await message.close();
    }
  }, 60_000);
});

describe('F65-5: the stored message re-read is pinned to the first read (If-Match on its ETag)', () => {
  it('replaced after the journal streamed it by bytes of the same length, start and tail CRC-32: a later reader fails, never sees them', async () => {
    const journaledBytes = mail('the report');
    await store('forged', journaledBytes);
    const message = open('forged');
    try {
      await message.headers();
      message.beginFinalReads();
      const journaled = await drain(message.stream());
      expect((journaled as Buffer).equals(journaledBytes)).toBe(true);
      // The pass-on reader handed out the bytes past 512 KiB; a later fetch is checked on their length and CRC-32.
      const from = 512 * 1024;
      const other = Buffer.concat([
        journaledBytes.subarray(0, from),
        forgeCrc(mail('wire it now').subarray(from), crc32(journaledBytes.subarray(from))),
      ]);
      expect(other.length).toBe(journaledBytes.length);
      expect(crc32(other.subarray(from))).toBe(crc32(journaledBytes.subarray(from)));
      expect(other.equals(journaledBytes)).toBe(false);
      await store('forged', other);
      const later = await drain(message.lastStream());
      expect(later, 'a later reader of the invocation got other bytes than the journal').toBeInstanceOf(
        Error,
      );
    } finally {
      await message.close();
    }
  }, 60_000);
});
