import { crc32 } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, forgeCrc, openStored, storedMail } from '../../test/support/stored-replaced.js';

// Fault round 87: round 65 pins every re-read of the stored message (guard-ses, archiver-ses) to the first answer's
// ETag with If-Match, and leaves the check to the store. A store or something in between that drops If-Match (an
// S3-compatible store, a caching proxy) answers 200 with the object now stored; a first answer without an ETag pins
// nothing. Either way the re-read got another object, checked only by the handed-out tail's length and CRC-32, which
// four bytes make repeat (round 65's forgery). Asked: a later reader of the invocation fails, never sees other bytes.
const BUCKET = 'inbound-mail-r87';
const PREFIX = 'inbound/';
let stack: LocalStack;
/** What the S3 client's "store" does: forget If-Match, or answer this many GETs without an ETag. */
const store = { dropIfMatch: false, etagless: 0 };
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  stack.s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (store.dropIfMatch && request.headers) {
        for (const name of Object.keys(request.headers))
          if (name.toLowerCase() === 'if-match') delete request.headers[name];
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'r87DropIfMatch' },
  );
  stack.s3.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const output = out.output as { ETag?: string; Body?: unknown };
      if (store.etagless > 0 && output.Body !== undefined && 'ETag' in output) {
        store.etagless--;
        output.ETag = undefined;
      }
      return out;
    },
    { step: 'initialize', name: 'r87Etagless' },
  );
});
afterAll(async () => {
  await stack.stop();
});
const MESSAGE_ID = '<r87.stored@partner.example>';
const mail = (tail: string, same?: number) => storedMail(MESSAGE_ID, tail, same);
const put = (id: string, bytes: Buffer) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${id}`, Body: bytes }));
const open = (id: string) => openStored(stack.s3, BUCKET, PREFIX, id, MESSAGE_ID);

/** The journal streams the object, then it is replaced by one of the same length, start and tail CRC-32. */
async function laterRead(id: string): Promise<{ journaled: Buffer | Error; later: Buffer | Error }> {
  const original = mail('the report');
  await put(id, original);
  const message = open(id);
  try {
    await message.headers();
    message.beginFinalReads();
    const journaled = await drain(message.stream());
    const from = 512 * 1024;
    const other = Buffer.concat([
      original.subarray(0, from),
      forgeCrc(mail('wire it now').subarray(from), crc32(original.subarray(from))),
    ]);
    await put(id, other);
    const later = await drain(message.lastStream());
    return { journaled, later };
  } finally {
    store.dropIfMatch = false;
    store.etagless = 0;
    await message.close();
  }
}

describe('the stored message re-read when If-Match is not honoured (fault round 87)', () => {
  it('held: S3 honours If-Match: the later reader fails `changed`', async () => {
    const { journaled, later } = await laterRead('honoured');
    expect((journaled as Buffer).equals(mail('the report'))).toBe(true);
    expect(later).toBeInstanceOf(Error);
    expect((later as Error).message).toMatch(/fetched again|changed/);
  }, 60_000);

  it('F87-1: a store that drops If-Match answers the new object: the later reader fails, never gets its bytes', async () => {
    store.dropIfMatch = true;
    const { journaled, later } = await laterRead('dropped');
    expect((journaled as Buffer).equals(mail('the report'))).toBe(true);
    expect(later, 'a later reader got other bytes than the journal').toBeInstanceOf(Error);
  }, 60_000);

  it('F87-1: answers without an ETag (nothing to pin): the later reader fails, never gets other bytes', async () => {
    store.etagless = Number.POSITIVE_INFINITY;
    const { journaled, later } = await laterRead('etagless');
    // The journal's own fetch comes after the header read: it fails as well (the invocation is retried).
    if (!(journaled instanceof Error)) expect(journaled.equals(mail('the report'))).toBe(true);
    expect(later, 'a later reader got other bytes than the journal').toBeInstanceOf(Error);
  }, 60_000);
});
