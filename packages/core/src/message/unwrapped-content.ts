import { armoredKeyOrSignature } from './armored-openpgp.js';
import { nameVariants } from './file-names.js';
import { headerParams } from './part-names.js';

// Content a mail client unwraps and shows as a message, which the walk cannot open: it is a finding, so a
// protection that cannot see inside refuses it instead of letting it through unseen.

const KNOWN_ENCODINGS = new Set(['', '7bit', '8bit', 'binary', 'base64', 'quoted-printable']);
// A client decodes by the name's first word (`quoted-printable;`): an unknown spelling of one it knows is unread here.
const DECODABLE = /base64|quotedprintable|uu|yenc|binhex/;
const PKCS7 = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/** What the walk knows of a part when it decides whether a client would show content the walk cannot read. */
export interface UnwrapFacts {
  contentType: string;
  /** The first Content-Type header as written (its parameters). */
  rawType: string | undefined;
  /** The transfer encoding as the splitter decodes it (comments stripped, lower case; '' when absent). */
  encoding: string;
  /** The part is its message's root (the whole body of the message or of an attached message). */
  root: boolean;
  container: boolean;
  disposition: string | undefined;
  names: readonly string[];
  /** The content type of the multipart the part sits in, lower case, when it sits in one. */
  parent?: string;
}

// OpenPGP files (RFC 4880): Thunderbird and GnuPG tools decrypt or unpack them and open what they hold, under
// the file name inside (`Invoice.js.pgp` holds `Invoice.js`); an armored `.asc` too, unless it is a signature or
// a key: declared so, or holding only a key's or signatures' packets ({@link armoredFileProblem}, once its content
// is read). Types: RFC 3156's, and the legacy `application/pgp` (`x-action=encrypt`) and `x-pgp-message`.
const OPENPGP_FILE = /\.(?:pgp|gpg)$/i;
const ARMORED_FILE = /\.asc$/i;
const OPENPGP_TYPE = /^application\/(?:x-)?pgp(?:-encrypted|-message)?$/;
const NOT_OPENPGP_DATA = /^application\/(?:pgp-signature|pgp-keys)$/;

/**
 * Why a client could show content the walk cannot read in this part (`smime` for S/MIME), or undefined.
 *
 * @example
 * ```ts
 * unwrapProblem({ contentType: 'message/partial', rawType: 'message/partial; id=x; number=1', encoding: '',
 *   root: false, container: false, disposition: undefined, names: [] });
 * // { reason: 'message/partial fragment: clients may reassemble it into a message the walk cannot see' }
 * ```
 */
export function unwrapProblem(part: UnwrapFacts): { reason: string; smime?: true } | undefined {
  // RFC 2046 5.2.2: fragments some clients reassemble (with total=1, one is the whole message).
  if (part.contentType === 'message/partial')
    return {
      reason: 'message/partial fragment: clients may reassemble it into a message the walk cannot see',
    };
  if (PKCS7.has(part.contentType) && clientUnwraps(part)) {
    const type = smimeType(part.rawType);
    // .p7c (RFC 8551) names a certificates-only file: nothing to unwrap.
    if (type !== 'certs-only' && !part.names.some((n) => /\.p7c\s*$/i.test(n)))
      return {
        reason: `S/MIME ${type ?? 'content'} (${part.contentType}): clients unwrap it, the walk cannot open it`,
        smime: true,
      };
  }
  // PGP/MIME (RFC 3156): a client with the key (or any client, for content that is only signed) unwraps it.
  if (part.contentType === 'multipart/encrypted') {
    const protocol = headerParams(part.rawType ?? '')
      .find((p) => p.key === 'protocol')
      ?.value.trim();
    return {
      reason: `encrypted content (multipart/encrypted${protocol ? `, ${protocol.slice(0, 60)}` : ''}): clients unwrap it, the walk cannot open it`,
      smime: true,
    };
  }
  if (openPgpCandidate(part) && (OPENPGP_TYPE.test(part.contentType) || named(part, OPENPGP_FILE)))
    return OPENPGP_DATA;
  // A leaf in a transfer encoding the splitter passes through undecoded but a lenient client may decode
  // (`"base64"`, `base-64`, x-uuencode): whether its content is an executable is not known. Other unknown
  // values (`7-bit`, `plain`, `8bits`) are shown as they are, as the walk reads them.
  if (
    !part.container &&
    !KNOWN_ENCODINGS.has(part.encoding) &&
    DECODABLE.test(part.encoding.replace(/[^a-z0-9]/g, ''))
  )
    return { reason: `transfer encoding ${part.encoding.slice(0, 40)} cannot be decoded` };
  return undefined;
}

const OPENPGP_DATA = {
  reason: 'OpenPGP data: clients decrypt or unpack it and open the file it holds, the walk cannot',
  smime: true as const,
};

const named = (part: Pick<UnwrapFacts, 'names'>, pattern: RegExp) =>
  part.names.some((n) => nameVariants(n).some((v) => pattern.test(v)));

// A leaf outside PGP/MIME's own framing, not declared a signature or a key.
function openPgpCandidate(part: Pick<UnwrapFacts, 'container' | 'parent' | 'contentType'>): boolean {
  return (
    !part.container &&
    part.parent !== 'multipart/encrypted' &&
    part.parent !== 'multipart/signed' &&
    !NOT_OPENPGP_DATA.test(part.contentType)
  );
}

/**
 * Why an armored `.asc` file, once its content is read, is OpenPGP data a client unpacks, or undefined: a file
 * {@link unwrapProblem} flagged already, or one whose whole content (`complete`) is one armored public key or
 * signature block, packet by packet, is not (false-positive round 3: a key or a release's signature attached as
 * application/octet-stream or text/plain was bounced). Content cut short of the end is not known to be a key.
 *
 * @example
 * ```ts
 * armoredFileProblem(facts, Buffer.from(gpgArmoredExport), true); // undefined
 * ```
 */
export function armoredFileProblem(
  part: Pick<UnwrapFacts, 'contentType' | 'names' | 'parent'>,
  content: Buffer,
  complete: boolean,
): { reason: string; smime: true } | undefined {
  if (!openPgpCandidate({ ...part, container: false }) || !named(part, ARMORED_FILE)) return undefined;
  if (OPENPGP_TYPE.test(part.contentType) || named(part, OPENPGP_FILE)) return undefined;
  return complete && armoredKeyOrSignature(content) ? undefined : OPENPGP_DATA;
}

// Clients open S/MIME as a message when it is a message's body or an inline part; a signed document
// (`contract.pdf.p7m`) attached as a file is a file like any other.
function clientUnwraps(part: UnwrapFacts): boolean {
  if (part.root || part.disposition !== 'attachment') return true;
  return part.names.length === 0 || part.names.some((n) => /^smime\.p7m$/i.test(n.trim()));
}

function smimeType(rawType: string | undefined): string | undefined {
  const param = headerParams(rawType ?? '').find((p) => p.key === 'smime-type');
  return param?.value.trim().toLowerCase() || undefined;
}
