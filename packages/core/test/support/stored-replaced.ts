// The stored message an SES function reads more than once, and the forgery that defeats a CRC-32 check: the harness
// of fault rounds 65 and 87 (the stored object replaced, or a re-read not pinned, between two reads).
import { crc32 } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { LazyMessage } from '../../src/message/message.js';
import { storedMessageSource } from '../../src/ses/clients.js';

export const STORED_SIZE = 3 * 1024 * 1024;

/** {@link STORED_SIZE} bytes under `messageId`: the same first `same` bytes for every `tail`, then lines of `tail`. */
export function storedMail(messageId: string, tail: string, same = 1024 * 1024): Buffer {
  const head = `Message-ID: ${messageId}\r\nFrom: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: report\r\n\r\n`;
  const start = Buffer.from(head + 'the same report line\r\n'.repeat(same / 22)).subarray(0, same);
  const line = `${tail}\r\n`;
  const rest = Buffer.from(line.repeat(Math.ceil((STORED_SIZE - same) / line.length))).subarray(
    0,
    STORED_SIZE - same,
  );
  return Buffer.concat([start, rest]);
}

/** The stored message `id` as guard-ses and archiver-ses read it (a header read releases the transfer). */
export function openStored(s3: S3Client, bucket: string, prefix: string, id: string, messageId: string) {
  return new LazyMessage(
    storedMessageSource(s3, { bucket, keyPrefix: prefix }, id, undefined, {
      messageIdHeader: messageId,
      maxHeaderBytes: 256 * 1024,
    }),
    { releaseAbove: 1, mailOnly: true },
  );
}

/** Every byte of `stream`, or the error it failed with. */
export async function drain(stream: NodeJS.ReadableStream): Promise<Buffer | Error> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream) parts.push(chunk as Buffer);
  } catch (error) {
    return error as Error;
  }
  return Buffer.concat(parts);
}

/** zlib's CRC-32 table (reflected polynomial 0xEDB88320) and the index of each entry by its top byte. */
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const BY_TOP = new Map(TABLE.map((t, k) => [t >>> 24, k]));

/** `bytes` with its last 4 bytes set so that its CRC-32 is `target` (CRC-32 is linear: anyone can do this). */
export function forgeCrc(bytes: Buffer, target: number): Buffer {
  const out = Buffer.from(bytes);
  const at = out.length - 4;
  let state = ~crc32(out.subarray(0, at)) >>> 0;
  // Backwards from the wanted register: the top byte of each step names the table entry it used.
  const used: number[] = [];
  let c = ~target >>> 0;
  for (let i = 0; i < 4; i++) {
    const k = BY_TOP.get(c >>> 24) as number;
    used.unshift(k);
    c = ((c ^ (TABLE[k] as number)) << 8) >>> 0;
  }
  for (let i = 0; i < 4; i++) {
    const k = used[i] as number;
    out[at + i] = (state ^ k) & 0xff;
    state = ((TABLE[k] as number) ^ (state >>> 8)) >>> 0;
  }
  return out;
}
