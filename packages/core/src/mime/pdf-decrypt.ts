import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

// The PDF standard security handler (ISO 32000-1 §7.6.3, ISO 32000-2 §7.6.4), for the empty user password
// only: the password every viewer tries first, and the one most "encrypted" mail carries (an owner password
// restricting printing or copying, nothing asked to open it). A file whose user password is not empty stays
// encrypted: nothing here guesses passwords.

/** A crypt filter of the /CF dictionary (PDF 1.5+, /V 4 and 5). */
export interface PdfCryptFilter {
  /** /CFM: `None`, `V2` (RC4), `AESV2` (AES-128), `AESV3` (AES-256); any other is not decrypted. */
  cfm: string;
  /** /Length: the key's length in bits, or in bytes as Acrobat writes it (under 40 is read as bytes). */
  length?: number;
}

/**
 * The values of an /Encrypt dictionary and the trailer's /ID, as plain values: names without their slash,
 * strings as their bytes (as read from the file: the Encrypt dictionary's strings are never encrypted).
 *
 * @example
 * ```ts
 * const params: PdfEncryption = {
 *   filter: 'Standard', v: 4, r: 4, length: 128, o, u, p: -1084,
 *   cf: { StdCF: { cfm: 'AESV2', length: 16 } }, stmF: 'StdCF', strF: 'StdCF',
 *   id: firstIdString, // the trailer's /ID [<this> <…>]; an empty Buffer when the file has none
 * };
 * ```
 */
export interface PdfEncryption {
  /** /Filter: only `Standard` is read (`Adobe.PubSec` needs a certificate's private key). */
  filter: string;
  /** /V: 1, 2 (RC4), 4 (crypt filters), 5 (AES-256); 0 and 3 are not read. */
  v: number;
  /** /R: 2 to 6. */
  r: number;
  /** /Length: the file key's length in bits (40 to 128; for /V 2 and 4). Default 40 (/V 2) or 128 (/V 4). */
  length?: number;
  /** /O: 32 bytes (/R 2–4) or 48 (/R 5, 6). */
  o: Buffer;
  /** /U: 32 bytes (/R 2–4; for /R 3 and 4 only the first 16 count) or 48 (/R 5, 6). */
  u: Buffer;
  /** /P: the permission flags, signed or unsigned 32-bit as written. */
  p: number;
  /** /OE, /UE, /Perms: /R 5 and 6 (32, 32 and 16 bytes). */
  oe?: Buffer;
  ue?: Buffer;
  perms?: Buffer;
  /** /EncryptMetadata: default true. When false, /R 4+ derives another key and the XMP metadata stream is clear. */
  encryptMetadata?: boolean;
  /** /CF: the crypt filters by name (/V 4 and 5). */
  cf?: Readonly<Record<string, PdfCryptFilter>>;
  /** /StmF and /StrF: the crypt filters of streams and strings (/V 4 and 5); default `Identity`. */
  stmF?: string;
  strF?: string;
  /** The first string of the trailer's /ID array; an empty Buffer when there is none (/R 2–4 hash it in). */
  id: Buffer;
}

/** Encrypted data that cannot be decrypted: AES data not in whole blocks, or its padding damaged. */
export class PdfDecryptError extends Error {
  override readonly name = 'PdfDecryptError';
}

/** What {@link PdfDecryptor.decrypt} decrypts: a stream's data, or a string. */
export type PdfCryptKind = 'stream' | 'string';

/** Decrypts a PDF's strings and streams with the key the empty user password opens. */
export interface PdfDecryptor {
  /**
   * The clear bytes of a string, or of a stream's data before its /Filter chain (AES: the IV is the first 16
   * bytes, PKCS#7 padding removed). `cryptFilter` is the name a stream's own /Crypt filter gives (its
   * /DecodeParms /Name, `Identity` when absent), overriding /StmF. Throws {@link PdfDecryptError} for damaged
   * AES data, or a /Crypt filter name the file does not define.
   */
  decrypt(
    objectNumber: number,
    generation: number,
    data: Buffer,
    kind: PdfCryptKind,
    cryptFilter?: string,
  ): Buffer;
  /** False when /EncryptMetadata is false: a stream of /Type /Metadata is then not encrypted. */
  readonly encryptMetadata: boolean;
  /**
   * /R 5 and 6: whether /Perms decrypts with the file key to a block marked `adb` (ISO 32000-2 Algorithm 13),
   * confirming the key taken from /UE; undefined below /R 5 or without /Perms. Informational: viewers open a
   * file whose /Perms do not confirm, and its /P copy in /Perms is not compared (writers disagree with it).
   */
  readonly permsConfirmed?: boolean;
}

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const EMPTY = Buffer.alloc(0);
const SALT = Buffer.from('sAlT', 'latin1');
/** Algorithm 2.B ends once round ≥ 64 and E's last byte ≤ round − 32: by round 287 whatever the byte. */
const MAX_HASH_ROUNDS = 288;

type Method = { kind: 'identity' | 'rc4' | 'aes128' | 'aes256' };
const RC4: Method = { kind: 'rc4' };

/**
 * A decryptor for a file encrypted by the standard security handler when its user password is empty (what a
 * viewer opens without asking); undefined when the empty password is not the user password (the file is
 * really protected), or the handler, revision, or a crypt filter is one this does not read.
 *
 * What the caller must leave as it is: the /Encrypt dictionary's object, cross-reference streams (/Type /XRef),
 * the trailer (its /ID), the objects inside an object stream (the stream is decrypted once, as a stream), and,
 * when {@link PdfDecryptor.encryptMetadata} is false, streams of /Type /Metadata.
 *
 * @example
 * ```ts
 * const decryptor = emptyPasswordDecryptor(params);
 * if (!decryptor) return { encrypted: true };
 * const clear = decryptor.decrypt(7, 0, rawStreamBytes, 'stream'); // then /FlateDecode as usual
 * ```
 */
export function emptyPasswordDecryptor(params: PdfEncryption): PdfDecryptor | undefined {
  if (params.filter !== 'Standard') return undefined;
  const { v, r } = params;
  const methods = new Map<string, Method | undefined>();
  const method = (name: string): Method | undefined => {
    if (!methods.has(name)) methods.set(name, filterMethod(params, name));
    return methods.get(name);
  };
  // /V 1 and 2 encrypt everything with RC4; /V 4 and 5 name crypt filters for streams and strings.
  const rc4Only = v === 1 || v === 2;
  const streams = rc4Only ? RC4 : method(params.stmF ?? 'Identity');
  const strings = rc4Only ? RC4 : method(params.strF ?? 'Identity');
  if (!streams || !strings) return undefined;
  let key: Buffer | undefined;
  let permsConfirmed: boolean | undefined;
  if ((rc4Only || v === 4) && r >= 2 && r <= 4) {
    const named = cryptFilter(params, params.stmF) ?? cryptFilter(params, params.strF);
    const bits =
      v === 1
        ? 40
        : v === 2
          ? keyBits(params.length ?? 40)
          : streams.kind === 'aes128' || strings.kind === 'aes128'
            ? 128
            : keyBits(named?.length ?? params.length ?? 128);
    if (bits === undefined) return undefined;
    key = rc4Key(params, r === 2 ? 5 : bits / 8);
  } else if (v === 5 && (r === 5 || r === 6)) {
    key = aesKey(params);
    if (key && params.perms && params.perms.length >= 16) permsConfirmed = permsConfirm(key, params.perms);
  }
  if (!key) return undefined;
  const fileKey = key;
  return {
    encryptMetadata: params.encryptMetadata !== false,
    permsConfirmed,
    decrypt(objectNumber, generation, data, kind, cryptFilter) {
      let m = kind === 'string' ? strings : streams;
      if (kind === 'stream' && cryptFilter !== undefined) {
        const named = method(cryptFilter);
        if (!named) throw new PdfDecryptError(`crypt filter ${cryptFilter.slice(0, 40)} is not defined`);
        m = named;
      }
      if (m.kind === 'identity' || data.length === 0) return data;
      if (m.kind === 'aes256') return aesCbc(fileKey, data, objectNumber);
      const objectKey = createHash('md5')
        .update(fileKey)
        .update(
          Buffer.from([
            objectNumber & 0xff,
            (objectNumber >>> 8) & 0xff,
            (objectNumber >>> 16) & 0xff,
            generation & 0xff,
            (generation >>> 8) & 0xff,
          ]),
        )
        .update(m.kind === 'aes128' ? SALT : EMPTY)
        .digest()
        .subarray(0, Math.min(fileKey.length + 5, 16));
      return m.kind === 'aes128' ? aesCbc(objectKey, data, objectNumber) : rc4(objectKey, data);
    },
  };
}

/** A /V 4 or 5 crypt filter by name; undefined when unknown to the file or to this. */
function filterMethod(params: PdfEncryption, name: string): Method | undefined {
  if (name === 'Identity') return { kind: 'identity' };
  const filter = cryptFilter(params, name);
  if (!filter) return undefined;
  if (filter.cfm === 'None') return { kind: 'identity' };
  if (params.v === 4 && filter.cfm === 'V2') return RC4;
  if (params.v === 4 && filter.cfm === 'AESV2') return { kind: 'aes128' };
  if (params.v === 5 && filter.cfm === 'AESV3') return { kind: 'aes256' };
  return undefined;
}

/** /CF's own entry (a file's names are keys: never `toString` or `__proto__` from Object.prototype). */
function cryptFilter(params: PdfEncryption, name: string | undefined): PdfCryptFilter | undefined {
  return params.cf && name !== undefined && Object.hasOwn(params.cf, name) ? params.cf[name] : undefined;
}

/** A key length in bits (a /Length under 40 is in bytes); undefined when not 40 to 128 in whole bytes. */
function keyBits(length: number): number | undefined {
  const bits = length < 40 ? length * 8 : length;
  return Number.isInteger(bits) && bits % 8 === 0 && bits >= 40 && bits <= 128 ? bits : undefined;
}

/** Algorithm 2 (the file key from the empty password), checked against /U by Algorithm 4 (/R 2) or 5 (/R 3, 4). */
function rc4Key(params: PdfEncryption, n: number): Buffer | undefined {
  const { o, u, r } = params;
  if (o.length < 32 || u.length < 32) return undefined;
  const p = Buffer.alloc(4);
  p.writeInt32LE(params.p | 0);
  const md5 = createHash('md5').update(PADDING).update(o.subarray(0, 32)).update(p).update(params.id);
  if (r >= 4 && params.encryptMetadata === false) md5.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let hash = md5.digest();
  if (r >= 3) for (let i = 0; i < 50; i++) hash = createHash('md5').update(hash.subarray(0, n)).digest();
  const key = hash.subarray(0, n);
  if (r === 2) return rc4(key, PADDING).equals(u.subarray(0, 32)) ? key : undefined;
  let check = rc4(key, createHash('md5').update(PADDING).update(params.id).digest());
  for (let i = 1; i <= 19; i++)
    check = rc4(
      key.map((b) => b ^ i),
      check,
    );
  return check.equals(u.subarray(0, 16)) ? key : undefined;
}

/** Algorithm 2.A for the empty password: /U's validation salt checks it, /UE holds the file key. */
function aesKey(params: PdfEncryption): Buffer | undefined {
  const { u, ue, r } = params;
  if (u.length < 48 || !ue || ue.length < 32) return undefined;
  const hash = (salt: Buffer) => (r === 5 ? createHash('sha256').update(salt).digest() : hash2B(salt));
  if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32))) return undefined;
  const decipher = createDecipheriv('aes-256-cbc', hash(u.subarray(40, 48)), Buffer.alloc(16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
}

/** Algorithm 2.B (/R 6) for the empty password and no /U data: SHA-256/384/512 rounds over AES-128-CBC. */
function hash2B(salt: Buffer): Buffer {
  let k = createHash('sha256').update(salt).digest();
  for (let round = 1; round <= MAX_HASH_ROUNDS; round++) {
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false); // 64 copies of K: whole blocks
    const e = Buffer.concat([cipher.update(Buffer.concat(new Array<Buffer>(64).fill(k))), cipher.final()]);
    // 256 ≡ 1 (mod 3): the first 16 bytes as a big-endian number, mod 3, is their sum mod 3.
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i] as number;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3] as string)
      .update(e)
      .digest();
    if (round >= 64 && (e[e.length - 1] as number) <= round - 32) break;
  }
  return k.subarray(0, 32);
}

/** /Perms decrypted with the file key (AES-256-ECB): `adb` in bytes 9–11. */
function permsConfirm(key: Buffer, perms: Buffer): boolean {
  const decipher = createDecipheriv('aes-256-ecb', key, null);
  decipher.setAutoPadding(false);
  return (
    Buffer.concat([decipher.update(perms.subarray(0, 16)), decipher.final()]).toString('latin1', 9, 12) ===
    'adb'
  );
}

/** AES-CBC with the IV first and PKCS#7 padding, as PDF writes it. */
function aesCbc(key: Buffer, data: Buffer, objectNumber: number): Buffer {
  if (data.length % 16 !== 0)
    throw new PdfDecryptError(`object ${objectNumber}: AES data of ${data.length} bytes is not whole blocks`);
  // An IV and nothing after it: what some writers make of an empty string.
  if (data.length === 16) return EMPTY;
  const decipher = createDecipheriv(
    key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc',
    key,
    data.subarray(0, 16),
  );
  decipher.setAutoPadding(false);
  const clear = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  const pad = clear[clear.length - 1] as number;
  let ok = pad >= 1 && pad <= 16;
  for (let i = clear.length - pad; ok && i < clear.length; i++) ok = clear[i] === pad;
  if (!ok) throw new PdfDecryptError(`object ${objectNumber}: AES padding is damaged`);
  return clear.subarray(0, clear.length - pad);
}

/** RC4, by hand: Node's OpenSSL 3 has no rc4 without its legacy provider. */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    const t = s[i] as number;
    j = (j + t + (key[i % key.length] as number)) & 0xff;
    s[i] = s[j] as number;
    s[j] = t;
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    const a = s[i] as number;
    j = (j + a) & 0xff;
    const b = s[j] as number;
    s[i] = b;
    s[j] = a;
    out[k] = (data[k] as number) ^ (s[(a + b) & 0xff] as number);
  }
  return out;
}
