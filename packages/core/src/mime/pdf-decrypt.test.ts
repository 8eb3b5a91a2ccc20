import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfFile } from '../testing/pdf.js';
import { emptyPasswordDecryptor, PdfDecryptError, type PdfEncryption } from './pdf-decrypt.js';

// The encrypting side of the standard security handler (ISO 32000-1 §7.6.3 Algorithms 1–5, ISO 32000-2
// Algorithms 2.B, 8–10), written here independently of the decrypting side so that each checks the other.

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const CARD = 'Card: 4111 1111 1111 1111';
const hex = (h: string) => Buffer.from(h, 'hex');
const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const sha = (algorithm: string, ...parts: Buffer[]) =>
  createHash(algorithm).update(Buffer.concat(parts)).digest();
const padded = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);
const xor = (key: Buffer, i: number) => Buffer.from(key.map((b) => b ^ i));

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = [...Array(256).keys()];
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) % 256;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  let i = 0;
  j = 0;
  return Buffer.from(
    data.map((byte) => {
      i = (i + 1) % 256;
      j = (j + (s[i] as number)) % 256;
      [s[i], s[j]] = [s[j] as number, s[i] as number];
      return byte ^ (s[((s[i] as number) + (s[j] as number)) % 256] as number);
    }),
  );
}

function aesEncrypt(key: Buffer, data: Buffer, iv = randomBytes(16)): Buffer {
  const cipher = createCipheriv(key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(data), cipher.final()]);
}

function aesNoPad(algorithm: string, key: Buffer, iv: Buffer | null, data: Buffer): Buffer {
  const cipher = createCipheriv(algorithm, key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

interface Rc4Options {
  r: 2 | 3 | 4;
  /** The file key's length in bytes. */
  n: number;
  user?: string;
  owner?: string;
  encryptMetadata?: boolean;
}

/** O, U and the file key for /R 2–4 (Algorithms 2, 3, 4 and 5). */
function rc4Security(options: Rc4Options) {
  const { r, n } = options;
  const user = options.user ?? '';
  const owner = options.owner ?? 'owner-secret';
  const id = randomBytes(16);
  const p = -3904; // printing and copying forbidden
  let ownerHash = md5(padded(owner));
  if (r >= 3) for (let i = 0; i < 50; i++) ownerHash = md5(ownerHash);
  const ownerKey = ownerHash.subarray(0, r === 2 ? 5 : n);
  let o = rc4(ownerKey, padded(user));
  if (r >= 3) for (let i = 1; i <= 19; i++) o = rc4(xor(ownerKey, i), o);
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  const noMetadata = r >= 4 && options.encryptMetadata === false ? hex('ffffffff') : Buffer.alloc(0);
  let hash = md5(padded(user), o, pBytes, id, noMetadata);
  if (r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, n));
  const key = hash.subarray(0, r === 2 ? 5 : n);
  let u: Buffer;
  if (r === 2) u = rc4(key, PAD);
  else {
    u = rc4(key, md5(PAD, id));
    for (let i = 1; i <= 19; i++) u = rc4(xor(key, i), u);
    u = Buffer.concat([u, randomBytes(16)]); // arbitrary padding
  }
  return { o, u, p, id, key };
}

function objectKey(key: Buffer, num: number, gen: number, aes: boolean): Buffer {
  const numGen = Buffer.from([num, num >> 8, num >> 16, gen, gen >> 8].map((b) => b & 0xff));
  return md5(key, numGen, aes ? Buffer.from('sAlT') : Buffer.alloc(0)).subarray(
    0,
    Math.min(key.length + 5, 16),
  );
}

/** Algorithm 2.B (/R 6), or plain SHA-256 (/R 5). */
function hash2B(r: 5 | 6, password: Buffer, salt: Buffer, udata: Buffer): Buffer {
  let k = sha('sha256', password, salt, udata);
  if (r === 5) return k;
  for (let round = 0; ; ) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => Buffer.concat([password, k, udata])));
    const e = aesNoPad('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32), k1);
    const mod = Number(BigInt(`0x${e.subarray(0, 16).toString('hex')}`) % 3n);
    k = sha(['sha256', 'sha384', 'sha512'][mod] as string, e);
    round++;
    if (round >= 64 && (e.at(-1) as number) <= round - 32) return k.subarray(0, 32);
  }
}

/** O, U, OE, UE and Perms for /R 5 and 6 (Algorithms 8, 9, 10). */
function aesSecurity(r: 5 | 6, user = '', owner = 'owner-secret') {
  const key = randomBytes(32);
  const p = -3904;
  const userPw = Buffer.from(user, 'utf8');
  const ownerPw = Buffer.from(owner, 'utf8');
  const [uv, uk, ov, ok] = [randomBytes(8), randomBytes(8), randomBytes(8), randomBytes(8)];
  const zero = Buffer.alloc(16);
  const u = Buffer.concat([hash2B(r, userPw, uv, Buffer.alloc(0)), uv, uk]);
  const ue = aesNoPad('aes-256-cbc', hash2B(r, userPw, uk, Buffer.alloc(0)), zero, key);
  const o = Buffer.concat([hash2B(r, ownerPw, ov, u), ov, ok]);
  const oe = aesNoPad('aes-256-cbc', hash2B(r, ownerPw, ok, u), zero, key);
  const perms = Buffer.concat([Buffer.alloc(4), hex('ffffffff'), Buffer.from('Tadb'), randomBytes(4)]);
  perms.writeInt32LE(p);
  return { o, u, oe, ue, perms: aesNoPad('aes-256-ecb', key, null, perms), p, key };
}

describe('emptyPasswordDecryptor', () => {
  it('the test’s RC4 is RC4 (a published vector)', () => {
    expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe('bbf316e8d940af0ad3');
  });

  it('/R 2: 40-bit RC4, strings and streams, each object its own key', () => {
    const s = rc4Security({ r: 2, n: 5 });
    const decryptor = emptyPasswordDecryptor({ filter: 'Standard', v: 1, r: 2, ...s });
    expect(decryptor).toBeDefined();
    const data = Buffer.from(CARD);
    expect(decryptor?.decrypt(12, 0, rc4(objectKey(s.key, 12, 0, false), data), 'stream')).toEqual(data);
    expect(decryptor?.decrypt(12, 0, rc4(objectKey(s.key, 12, 0, false), data), 'string')).toEqual(data);
    // Object numbers past 16 bits and generations count in the key.
    const big = rc4(objectKey(s.key, 70_000, 3, false), data);
    expect(decryptor?.decrypt(70_000, 3, big, 'string')).toEqual(data);
    expect(decryptor?.decrypt(70_000, 0, big, 'string')).not.toEqual(data);
    expect(decryptor?.decrypt(12, 0, Buffer.alloc(0), 'string')).toEqual(Buffer.alloc(0));
  });

  it('/R 3: 128-bit RC4 (and 56-bit, /Length of /V 2)', () => {
    for (const n of [16, 7]) {
      const s = rc4Security({ r: 3, n });
      const decryptor = emptyPasswordDecryptor({ filter: 'Standard', v: 2, r: 3, length: n * 8, ...s });
      const data = Buffer.from(CARD);
      expect(decryptor?.decrypt(4, 0, rc4(objectKey(s.key, 4, 0, false), data), 'stream')).toEqual(data);
    }
  });

  it('/R 4: AESV2 crypt filters, the IV first and the padding removed', () => {
    const s = rc4Security({ r: 4, n: 16 });
    const params: PdfEncryption = {
      filter: 'Standard',
      v: 4,
      r: 4,
      length: 128,
      cf: { StdCF: { cfm: 'AESV2', length: 16 } },
      stmF: 'StdCF',
      strF: 'StdCF',
      ...s,
    };
    const decryptor = emptyPasswordDecryptor(params);
    expect(decryptor?.encryptMetadata).toBe(true);
    for (const text of [CARD, '', 'exactly 16 bytes', 'x'.repeat(1000)]) {
      const data = Buffer.from(text);
      const sealed = aesEncrypt(objectKey(s.key, 9, 0, true), data);
      expect(decryptor?.decrypt(9, 0, sealed, 'stream')).toEqual(data);
      expect(decryptor?.decrypt(9, 0, sealed, 'string')).toEqual(data);
    }
    // /V 4 with an RC4 crypt filter (/CFM /V2).
    const rc4Params = { ...params, cf: { StdCF: { cfm: 'V2', length: 128 } } };
    const data = Buffer.from(CARD);
    expect(
      emptyPasswordDecryptor(rc4Params)?.decrypt(5, 1, rc4(objectKey(s.key, 5, 1, false), data), 'string'),
    ).toEqual(data);
  });

  it('/R 4 with /EncryptMetadata false: its own key, and says the metadata stream is clear', () => {
    const s = rc4Security({ r: 4, n: 16, encryptMetadata: false });
    const params: PdfEncryption = {
      filter: 'Standard',
      v: 4,
      r: 4,
      length: 128,
      encryptMetadata: false,
      cf: { StdCF: { cfm: 'AESV2', length: 16 } },
      stmF: 'StdCF',
      strF: 'StdCF',
      ...s,
    };
    const decryptor = emptyPasswordDecryptor(params);
    expect(decryptor?.encryptMetadata).toBe(false);
    const data = Buffer.from(CARD);
    expect(decryptor?.decrypt(3, 0, aesEncrypt(objectKey(s.key, 3, 0, true), data), 'stream')).toEqual(data);
    // Without the 0xFFFFFFFF the key differs, and /U says so.
    expect(emptyPasswordDecryptor({ ...params, encryptMetadata: true })).toBeUndefined();
  });

  it('/R 6 (and /R 5): AESV3 with the file key, /Perms agreeing', () => {
    for (const r of [6, 5] as const) {
      const s = aesSecurity(r);
      const decryptor = emptyPasswordDecryptor({
        filter: 'Standard',
        v: 5,
        r,
        length: 256,
        cf: { StdCF: { cfm: 'AESV3', length: 32 } },
        stmF: 'StdCF',
        strF: 'StdCF',
        id: Buffer.alloc(0),
        ...s,
      });
      expect(decryptor?.permsConfirmed).toBe(true);
      expect(
        emptyPasswordDecryptor({
          filter: 'Standard',
          v: 5,
          r,
          id: Buffer.alloc(0),
          ...s,
          perms: randomBytes(16),
        })?.permsConfirmed,
      ).toBe(false);
      const data = Buffer.from(CARD);
      expect(decryptor?.decrypt(7, 0, aesEncrypt(s.key, data), 'stream')).toEqual(data);
      expect(decryptor?.decrypt(8, 0, aesEncrypt(s.key, data), 'string')).toEqual(data);
    }
  });

  it('is undefined when the user password is not empty', () => {
    for (const [r, n] of [
      [2, 5],
      [3, 16],
      [4, 16],
    ] as const) {
      const s = rc4Security({ r, n, user: 'secret' });
      expect(emptyPasswordDecryptor({ filter: 'Standard', v: r === 2 ? 1 : 2, r, length: n * 8, ...s })).toBe(
        undefined,
      );
    }
    for (const r of [5, 6] as const) {
      const s = aesSecurity(r, 'secret');
      const params = { filter: 'Standard', v: 5, r, id: Buffer.alloc(0), ...s };
      expect(emptyPasswordDecryptor({ ...params, cf: { StdCF: { cfm: 'AESV3' } }, stmF: 'StdCF' })).toBe(
        undefined,
      );
    }
  });

  // Encryption dictionaries of real files, from pdf.js's test suite (test/unit/crypto_spec.js).
  describe('published dictionaries (pdf.js test suite)', () => {
    const fileId1 = hex('f6c6af17f372528d524d9a80d1efdf18');
    const fileId2 = hex('3c4c5f3a4496af409a9db33c781c76ac');
    const aes = { filter: 'Standard', v: 5, length: 256, p: -1084, id: fileId1 };
    const stdcf = { cf: { StdCF: { cfm: 'AESV3', length: 32 } }, stmF: 'StdCF', strF: 'StdCF' };

    it('opens those whose user password is empty (/R 4, 5, 6)', () => {
      const r4 = emptyPasswordDecryptor({
        filter: 'Standard',
        v: 4,
        r: 4,
        length: 128,
        o: hex('734614762e793527db970a3522b3e1d4adbd9b3cb4a5897515b259f168d9e9f4'),
        u: hex('930489a9bf8a45a688a2dbc2a0a8676e00000000000000000000000000000000'),
        p: -1084,
        id: fileId2,
      });
      expect(r4).toBeDefined();
      const r5 = emptyPasswordDecryptor({
        ...aes,
        ...stdcf,
        r: 5,
        o: hex(
          'b87004c36726fc57cc4ed416a1e89530595ac99eb12d97f3fe03131966665a6e8ff5ebeccc3573561065ce6cb5e947c1',
        ),
        u: hex(
          '83d47a69f14f30963112cc82cbcabf3579fd21ebe4d1b51dd6fa14f3be8f7173ef88dee2e8dcf535e4b816c8148d651e',
        ),
        oe: hex('8f19e8d427d507cac6a111a6615b74f4df0f84290fe4ef46375b5b11a08f1765'),
        ue: hex('81f55db02881e47f5f7c8f8562a07e10d0886c787b7e4a5e9132b664122705f6'),
        perms: hex('861536320daea2fb5d3b223d7112b248'),
      });
      const r6 = emptyPasswordDecryptor({
        ...aes,
        ...stdcf,
        r: 6,
        o: hex(
          'f7db9955a64dac6bafcfd7414677e9c191cb4467492352cf0c1572d7340dcee99140e4985146bf887e6adead8ff440c1',
        ),
        u: hex(
          '1aa9dc913883936b295b1137b136dbe88efe28e589d40ead123b7d4e5f3666657a8b471805594f687d5a48a35a87172a',
        ),
        oe: hex('a4618820681b7fcdd5ca63d85283e5d61cd298079834baaf1bb47f51f81e557d'),
        ue: hex('a00a5a55271d272c0bfe0ea24cf9625ea1b9d6763762b236a94e99f1a4446571'),
        perms: hex('03f269070dc3f9f22880b7f5ddd163eb'),
      });
      // /Perms decrypts to a block marked "adb" only with the right file key: the key from /UE is right.
      expect(r5?.permsConfirmed).toBe(true);
      expect(r6?.permsConfirmed).toBe(true);
    });

    it('refuses those with a user password (/R 3 "123456", /R 5 and 6 "user")', () => {
      expect(
        emptyPasswordDecryptor({
          filter: 'Standard',
          v: 2,
          r: 3,
          length: 128,
          o: hex('80c30496916f20736c3ae61b135491f20d5612e3ff5ebbe9564fd86b9aca7c5d'),
          u: hex('6a0c8d3e591900bc6a647d91bdaa001800000000000000000000000000000000'),
          p: -1028,
          id: fileId1,
        }),
      ).toBeUndefined();
      const r5 = {
        ...aes,
        ...stdcf,
        r: 5,
        o: hex(
          '3c6289233365c898d2b2e2e486cda318cc7eb1246a32247dd2acab78de6c8b73f37647998011653ec8f5f20cda7b1878',
        ),
        u: hex(
          '83f28fa057028a864ffdbdade04990f1be51c50ff96991970fc24103017ebbdd75a904209f6516dca85ed7c06426bc28',
        ),
        oe: hex('d5ca0ebd6e4c46bf06c30abe9d649055083e7bb29ce53228e5d836de22266adf'),
        ue: hex('2396c3a9f53333ff9e9e21f2e74b7dbe197eac72c3f489f5eaa52a4a3c261111'),
      };
      expect(emptyPasswordDecryptor(r5)).toBeUndefined();
      const r6 = {
        ...aes,
        ...stdcf,
        r: 6,
        o: hex(
          '58e83e36f51af5d1897bdd48c73125d91f4a73a77f9eb04d2da3572f275ad98d8ee8a9d0cad605b91dd0b92e0b4c8795',
        ),
        u: hex(
          '5ee6cd4ba663fa4cdb801155391121a4962e67b0a09cbbe9a6dfa3fd93eb5fb853f59265c6f722c6bf0b105eedd814af',
        ),
        oe: hex('d149e04d679bc9b5be44df143e5a38d205f0b280ee7c44fefdf43e6cd0870afb'),
        ue: hex('79d002b5e6599c3cfd8fd41c54b4c4b1ad80dd6b2e145eba87335f1814dffe24'),
      };
      expect(emptyPasswordDecryptor(r6)).toBeUndefined();
    });
  });

  it('reads what the project’s test PDF writer encrypts (another hand’s /R 2)', () => {
    const pdf = pdfFile([CARD], { font: 'winansi', userPassword: '' });
    const text = pdf.toString('latin1');
    const field = (name: string) => hex(new RegExp(`/${name} <([0-9a-f]+)>`).exec(text)?.[1] ?? '');
    const decryptor = emptyPasswordDecryptor({
      filter: 'Standard',
      v: 1,
      r: 2,
      o: field('O'),
      u: field('U'),
      p: Number(/\/P (-?\d+)/.exec(text)?.[1]),
      id: hex(/\/ID \[<([0-9a-f]+)>/.exec(text)?.[1] ?? ''),
    });
    const start = text.indexOf('stream\n', text.indexOf('\n7 0 obj')) + 7;
    const raw = pdf.subarray(start, text.indexOf('\nendstream', start));
    expect(
      inflateSync(decryptor?.decrypt(7, 0, raw, 'stream') ?? Buffer.alloc(0)).toString('latin1'),
    ).toContain(`(${CARD}) Tj`);
    const locked = pdfFile([CARD], { font: 'winansi', userPassword: 'secret' }).toString('latin1');
    expect(
      emptyPasswordDecryptor({
        filter: 'Standard',
        v: 1,
        r: 2,
        o: hex(/\/O <([0-9a-f]+)>/.exec(locked)?.[1] ?? ''),
        u: hex(/\/U <([0-9a-f]+)>/.exec(locked)?.[1] ?? ''),
        p: -44,
        id: hex(/\/ID \[<([0-9a-f]+)>/.exec(locked)?.[1] ?? ''),
      }),
    ).toBeUndefined();
  });

  it('throws PdfDecryptError for AES data not in whole blocks or with damaged padding', () => {
    const s = aesSecurity(6);
    const decryptor = emptyPasswordDecryptor({
      filter: 'Standard',
      v: 5,
      r: 6,
      cf: { StdCF: { cfm: 'AESV3' } },
      stmF: 'StdCF',
      strF: 'StdCF',
      id: Buffer.alloc(0),
      ...s,
    });
    const sealed = aesEncrypt(s.key, Buffer.from(CARD));
    expect(() => decryptor?.decrypt(1, 0, sealed.subarray(0, 33), 'stream')).toThrow(PdfDecryptError);
    expect(() => decryptor?.decrypt(1, 0, sealed.subarray(0, 15), 'string')).toThrow(PdfDecryptError);
    // A last block whose padding byte is 0, or 17, or whose padding bytes differ.
    for (const last of [hex('00'.repeat(16)), hex('11'.repeat(16)), hex(`${'00'.repeat(13)}010303`)]) {
      const iv = randomBytes(16);
      const bad = Buffer.concat([iv, aesNoPad('aes-256-cbc', s.key, iv, last)]);
      expect(() => decryptor?.decrypt(1, 0, bad, 'stream')).toThrow(PdfDecryptError);
    }
    // An IV alone: an empty string, as some writers make it.
    expect(decryptor?.decrypt(1, 0, randomBytes(16), 'string')).toEqual(Buffer.alloc(0));
  });

  it('leaves data as is under Identity crypt filters, and follows a stream’s own /Crypt filter', () => {
    const s = rc4Security({ r: 4, n: 16 });
    const base = { filter: 'Standard', v: 4, r: 4, length: 128, ...s };
    const data = Buffer.from(CARD);
    const sealed = aesEncrypt(objectKey(s.key, 6, 0, true), data);
    const decryptor = emptyPasswordDecryptor({
      ...base,
      cf: { StdCF: { cfm: 'AESV2' }, Clear: { cfm: 'None' } },
      stmF: 'Identity',
      strF: 'StdCF',
    });
    expect(decryptor?.decrypt(6, 0, data, 'stream')).toEqual(data);
    expect(decryptor?.decrypt(6, 0, sealed, 'string')).toEqual(data);
    expect(decryptor?.decrypt(6, 0, sealed, 'stream', 'StdCF')).toEqual(data);
    expect(decryptor?.decrypt(6, 0, data, 'stream', 'Identity')).toEqual(data);
    expect(() => decryptor?.decrypt(6, 0, data, 'stream', 'Nope')).toThrow(PdfDecryptError);
    const none = emptyPasswordDecryptor({
      ...base,
      cf: { Clear: { cfm: 'None' } },
      stmF: 'Clear',
      strF: 'Clear',
    });
    expect(none?.decrypt(6, 0, data, 'string')).toEqual(data);
    // No /StmF, /StrF: Identity.
    expect(emptyPasswordDecryptor(base)?.decrypt(6, 0, data, 'stream')).toEqual(data);
  });

  it('is undefined for handlers, revisions and crypt filters it does not read', () => {
    const s = rc4Security({ r: 4, n: 16 });
    const good: PdfEncryption = {
      filter: 'Standard',
      v: 4,
      r: 4,
      length: 128,
      cf: { StdCF: { cfm: 'AESV2' } },
      stmF: 'StdCF',
      strF: 'StdCF',
      ...s,
    };
    expect(emptyPasswordDecryptor(good)).toBeDefined();
    for (const change of [
      { filter: 'Adobe.PubSec' },
      { filter: 'FooSecurity' },
      { v: 3 },
      { v: 0 },
      { r: 7 },
      { r: 1 },
      { v: 5 },
      { cf: { StdCF: { cfm: 'AESV4' } } },
      { cf: { StdCF: { cfm: 'AESV3' } } },
      { stmF: 'Missing' },
      { stmF: 'toString' },
      { strF: '__proto__' },
      { strF: 'Missing' },
      { u: s.u.subarray(0, 20) },
    ] satisfies Partial<PdfEncryption>[])
      expect(emptyPasswordDecryptor({ ...good, ...change })).toBeUndefined();
    const r2 = rc4Security({ r: 3, n: 16 });
    for (const length of [32, 136, 41, 0])
      expect(emptyPasswordDecryptor({ filter: 'Standard', v: 2, r: 3, ...r2, length })).toBeUndefined();
  });
});
