/** How {@link cmsFile} writes a CMS file. */
export interface CmsFileOptions {
  /**
   * `signed` (default): signed data carrying `content`; `detached`: signed data without it (a `.p7s`);
   * `enveloped`: enveloped data (encrypted for a recipient, `content` not in clear); `timestamped`: RFC 5544
   * time-stamped data (a `.tsd`) carrying `content`.
   */
  type?: 'signed' | 'detached' | 'enveloped' | 'timestamped';
  /** BER as streaming signers write it: indefinite lengths, the content in OCTET STRING pieces of this size. */
  chunk?: number;
  /** Base64 text (`pem: true` adds `-----BEGIN PKCS7-----` armour), as some signers save a `.p7m`. */
  base64?: boolean;
  pem?: boolean;
}

const OIDS = {
  data: '2a864886f70d010701',
  signed: '2a864886f70d010702',
  enveloped: '2a864886f70d010703',
  timestamped: '2a864886f70d010910011f',
  sha256: '608648016503040201',
};

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x10000
        ? Buffer.from([0x82, n >> 8, n & 255])
        : Buffer.from([0x84, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

// Constructed with an indefinite length: its elements, then 00 00.
function ber(tag: number, ...content: Buffer[]): Buffer {
  return berOf(tag, content);
}

// From an array: a content in hundreds of thousands of pieces does not fit in a call's arguments.
function berOf(tag: number, content: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([tag | 0x20, 0x80]), Buffer.concat(content), Buffer.alloc(2)]);
}

/**
 * A CMS (PKCS #7) file for tests: the structure signers write (`openssl cms -sign -nodetach`, Dike, ArubaSign),
 * with placeholder digests and signatures: a structure to read, not a signature to verify.
 *
 * @example
 * ```ts
 * const p7m = cmsFile(Buffer.from('<FatturaElettronica/>'), { chunk: 1000 }); // fattura.xml.p7m
 * ```
 */
export function cmsFile(content: Buffer, options: CmsFileOptions = {}): Buffer {
  const type = options.type ?? 'signed';
  const streamed = options.chunk !== undefined;
  const seq = (...c: Buffer[]) => (streamed ? ber(0x30, ...c) : der(0x30, ...c));
  const explicit = (...c: Buffer[]) => (streamed ? ber(0xa0, ...c) : der(0xa0, ...c));
  const oid = (hex: string) => der(0x06, Buffer.from(hex, 'hex'));
  const octets = () => {
    if (!streamed) return der(0x04, content);
    const pieces: Buffer[] = [];
    for (let at = 0; at < content.length; at += options.chunk as number)
      pieces.push(der(0x04, content.subarray(at, at + (options.chunk as number))));
    return berOf(0x04, pieces);
  };
  const algorithm = der(0x30, oid(OIDS.sha256));
  const signerInfo = der(
    0x30,
    der(0x02, Buffer.from([1])),
    der(0x30, der(0x30), der(0x02, Buffer.from([1]))),
    algorithm,
    der(0x30, oid('2a864886f70d010101')),
    der(0x04, Buffer.alloc(32, 0x5a)),
  );
  let info: Buffer;
  if (type === 'enveloped') {
    const encrypted = seq(
      oid(OIDS.data),
      der(0x30, oid('608648016503040102')),
      der(0x80, Buffer.alloc(32, 7)),
    );
    info = seq(oid(OIDS.enveloped), explicit(seq(der(0x02, Buffer.from([0])), der(0x31), encrypted)));
  } else if (type === 'timestamped') {
    const evidence = der(0xa0, der(0x30, der(0x30)));
    info = seq(oid(OIDS.timestamped), explicit(seq(der(0x02, Buffer.from([1])), octets(), evidence)));
  } else {
    const encap = type === 'detached' ? seq(oid(OIDS.data)) : seq(oid(OIDS.data), explicit(octets()));
    const signed = seq(der(0x02, Buffer.from([1])), der(0x31, algorithm), encap, der(0x31, signerInfo));
    info = seq(oid(OIDS.signed), explicit(signed));
  }
  if (!options.base64 && !options.pem) return info;
  const text = info.toString('base64').replace(/.{64}/g, '$&\n');
  return Buffer.from(options.pem ? `-----BEGIN PKCS7-----\n${text}\n-----END PKCS7-----\n` : `${text}\n`);
}
