import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Sha256 as ReferenceSha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256 } from './sha256.js';

async function digestOf(secret: string | Uint8Array | undefined, pieces: Uint8Array[]): Promise<string> {
  const h = new Sha256(secret);
  for (const p of pieces) h.update(p);
  return Buffer.from(await h.digest()).toString('hex');
}

function expected(secret: string | Uint8Array | undefined, pieces: Uint8Array[]): string {
  const h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  for (const p of pieces) h.update(p);
  return h.digest('hex');
}

describe('Sha256 (the signer hash of wmflow-own clients)', () => {
  it('gives node:crypto’s SHA-256 and HMAC-SHA-256 for any secret and input, pieces included', async () => {
    const secret = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 60 }),
      fc.uint8Array({ maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(
        secret,
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }),
        async (s, pieces) => {
          expect(await digestOf(s, pieces)).toBe(expected(s, pieces));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('computes a repeated text-keyed HMAC again when the secret or the input changes', async () => {
    const a = new TextEncoder().encode('AKIDEXAMPLE');
    const b = new TextEncoder().encode('AKIDEXAMPLF');
    const runs: [string, Uint8Array][] = [
      ['secret-1', a],
      ['secret-1', a],
      ['secret-1', b],
      ['secret-2', b],
      ['secret-1', a],
      ['secret-1', new Uint8Array(0)],
      ['', a],
    ];
    for (const [secret, data] of runs) expect(await digestOf(secret, [data])).toBe(expected(secret, [data]));
  });

  it('hands out digests a caller may change without changing the next one', async () => {
    const data = randomBytes(16);
    const h1 = new Sha256('k');
    h1.update(data);
    const d1 = await h1.digest();
    d1.fill(0);
    const h2 = new Sha256('k');
    h2.update(data);
    expect(Buffer.from(await h2.digest()).toString('hex')).toBe(expected('k', [data]));
  });

  it('starts over after reset()', async () => {
    const h = new Sha256();
    h.update(Buffer.from('discarded'));
    h.reset();
    h.update(Buffer.from('kept'));
    expect(Buffer.from(await h.digest()).toString('hex')).toBe(expected(undefined, [Buffer.from('kept')]));
  });

  it('makes the SDK signer give the signatures it gives with a pure-JavaScript SHA-256', async () => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    };
    const ours = new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'workmailmessageflow',
      sha256: Sha256,
    });
    const reference = new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'workmailmessageflow',
      sha256: ReferenceSha256,
    });
    for (let i = 0; i < 5; i++) {
      const request = {
        method: 'GET',
        protocol: 'https:',
        hostname: 'workmailmessageflow.eu-west-1.amazonaws.com',
        path: `/messages/${i}-abc`,
        query: {},
        headers: { host: 'workmailmessageflow.eu-west-1.amazonaws.com' },
      };
      const signingDate = new Date(Date.UTC(2026, 10, 29 + i, 23, 59, 59));
      const a = await ours.sign(request, { signingDate });
      const b = await reference.sign(request, { signingDate });
      expect(a.headers.authorization).toBe(b.headers.authorization);
    }
  });
});
