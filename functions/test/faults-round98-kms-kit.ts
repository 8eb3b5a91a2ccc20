import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Act, proxyBefore } from './scripted-proxy.js';
import { sesStoredKit } from './ses-stored-kit.js';

// Fault round 98 (F98-2): what the two files on SES's stored message under SSE-KMS share (one per response checksum
// setting of the SDK). See faults-round98-ses-kms-cut.test.ts.

const CRC64_NVME = (() => {
  const table: bigint[] = [];
  for (let i = 0n; i < 256n; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
    table.push(c);
  }
  return table;
})();
const ALL = 0xffffffffffffffffn;

/** S3's `x-amz-checksum-crc64nvme` of `bytes` (base64 of the big-endian CRC-64/NVME). */
export function crc64nvme(bytes: Buffer): string {
  let c = ALL;
  for (const b of bytes) c = (CRC64_NVME[Number((c ^ BigInt(b)) & 0xffn)] as bigint) ^ (c >> 8n);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(c ^ ALL);
  return out.toString('base64');
}

/** S3's `x-amz-checksum-crc32` of `bytes`. */
function crc32Of(bytes: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes));
  return out.toString('base64');
}

export type Checksum = 'crc64nvme' | 'crc32';

/**
 * The object as S3 answers it under SSE-KMS: an ETag that is no MD5 of the bytes, the KMS headers, and the object's
 * full checksum. `cut`: the body stops before the last part (the one with `run.exe`), its Content-Length with it.
 */
function kmsAnswer(bytes: Buffer, checksum: Checksum, cut: boolean): Act {
  const text = bytes.toString('latin1');
  const at = cut ? text.lastIndexOf('--b1\r\nContent-Type: application/octet-stream') : text.length;
  return {
    do: 'answer',
    status: 200,
    headers: {
      'content-type': 'message/rfc822',
      etag: `"${randomBytes(16).toString('hex')}"`,
      'last-modified': new Date().toUTCString(),
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/r98',
      [`x-amz-checksum-${checksum}`]: checksum === 'crc32' ? crc32Of(bytes) : crc64nvme(bytes),
      'x-amz-checksum-type': 'FULL_OBJECT',
    },
    body: text.slice(0, at),
  };
}

/** The file's tests: a local stack behind a proxy before S3, with the SDK's response checksum setting `validation`. */
export function kmsCutTests(validation: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED'): void {
  const t = proxyBefore('S3', [JOURNAL, UPDATES], {
    AWS_MAX_ATTEMPTS: '1',
    AWS_RESPONSE_CHECKSUM_VALIDATION: validation,
  });
  const { store: storeAs, invoke, guard, archiver } = sesStoredKit(t, 'inbound/');
  const store = (size?: number) => storeAs('f98-kms', size);

  it('the test checksum is CRC-64/NVME (check value of "123456789")', () => {
    expect(Buffer.from(crc64nvme(Buffer.from('123456789')), 'base64').toString('hex')).toBe(
      'ae8b14860a799888',
    );
  });

  describe(`F98-2 (${validation}): the stored message under SSE-KMS answered shorter, its length cut to match`, () => {
    it.each([
      ['20 kB, CRC-64/NVME', 20_000, 'crc64nvme'],
      ['12 MB, journaled in parts, CRC32', 12_000_000, 'crc32'],
    ] as [string, number, Checksum][])(
      'archiver-ses, %s: fails, journaling nothing; the retry journals the whole message',
      async (_label, size, checksum) => {
        const { id, bytes } = await store(size);
        expect(await invoke(archiver(), id, kmsAnswer(bytes, checksum, true))).toMatch(/^error /);
        // The cut copy never lands, not even after the failed invocation's answer.
        await new Promise((r) => setTimeout(r, 300));
        expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
        expect(await stored(t.stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
        expect(await invoke(archiver(), id, kmsAnswer(bytes, checksum, false))).not.toMatch(/^error /);
        expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
        const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
        expect(keys.sort()).toEqual([`j/${id}`, `j/${id}.json`]);
      },
      60_000,
    );

    it('guard-ses: fails or blocks, never goes on with the last part unseen', async () => {
      const { id, bytes } = await store();
      expect(await invoke(guard(), id, kmsAnswer(bytes, 'crc64nvme', true))).toBe('STOP_RULE');
    }, 60_000);

    it('control: the whole object under SSE-KMS: archiver-ses journals it byte for byte; guard-ses blocks run.exe', async () => {
      const { id, bytes } = await store();
      expect(await invoke(archiver(), id, kmsAnswer(bytes, 'crc64nvme', false))).toBe('CONTINUE');
      expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
      expect(await invoke(guard(), id, kmsAnswer(bytes, 'crc64nvme', false))).not.toBe('CONTINUE');
    }, 60_000);

    it('control: a benign message under SSE-KMS is delivered by guard-ses', async () => {
      const { id, bytes } = await store();
      // The same message without its executable part, stored and answered whole.
      const text = bytes.toString('latin1');
      const benign = Buffer.from(
        `${text.slice(0, text.lastIndexOf('--b1\r\nContent-Type: application/octet-stream'))}--b1--\r\n`,
        'latin1',
      );
      expect(await invoke(guard(), id, kmsAnswer(benign, 'crc64nvme', false))).toBe('CONTINUE');
    }, 60_000);
  });
}
