import { createHash, createHmac, hash as oneShotHash } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';

// The last HMAC computed with a text secret: the SDK's signer hashes the same credentials on every request
// (only to name its signing-key cache), so that one result is kept, compared on every input.
let lastTextHmac: { secret: string; data: Buffer; digest: Buffer } | undefined;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * SHA-256 and HMAC-SHA-256 for the SDK's Signature V4 signer (its `sha256` option), on node:crypto like
 * the SDK's default, with less work per signature: a plain hash is one call (no hash object), and an HMAC
 * keyed by a text secret (the credentials hash the signer repeats on every request) is computed once for
 * the same secret and input. The signer's algorithm, and so every signature, is the SDK's own.
 *
 * @example
 * ```ts
 * const client = new WorkMailMessageFlowClient({ sha256: Sha256 });
 * ```
 */
export class Sha256 implements Checksum {
  private readonly secret?: SourceData;
  private input: Buffer[] = [];

  constructor(secret?: SourceData) {
    this.secret = secret;
  }

  update(data: Uint8Array): void {
    this.input.push(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    const data = this.input.length === 1 ? (this.input[0] as Buffer) : Buffer.concat(this.input);
    if (this.secret === undefined) return Promise.resolve(sha256(data));
    if (typeof this.secret !== 'string') {
      return Promise.resolve(createHmac('sha256', bytes(this.secret)).update(data).digest());
    }
    const last = lastTextHmac;
    if (last && last.secret === this.secret && last.data.equals(data)) {
      return Promise.resolve(Buffer.from(last.digest));
    }
    const digest = createHmac('sha256', this.secret).update(data).digest();
    lastTextHmac = { secret: this.secret, data: Buffer.from(data), digest: Buffer.from(digest) };
    return Promise.resolve(digest);
  }

  reset(): void {
    this.input = [];
  }
}

// crypto.hash (Node >= 20.12) hashes without creating a hash object. Also signs the direct GET (sign-get.ts).
export const sha256: (data: Buffer | string) => Buffer =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('sha256', data, 'buffer')
    : (data) => createHash('sha256').update(data).digest();
