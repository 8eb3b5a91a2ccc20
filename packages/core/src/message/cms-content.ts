// An S/MIME part that says it holds certificates only (`smime-type=certs-only`, a `.p7c` name) is not
// unwrapped by the walk; a client decides by the CMS structure itself, so one that in fact carries content
// (signed data with its content inside, or enveloped data) would be opened as a message the walk never saw.
// Read from the part's first decoded bytes: DER or BER (indefinite lengths), a few levels, bounded.

const SIGNED_DATA = Buffer.from('2a864886f70d010702', 'hex');
const MAX_STEPS = 64;

interface Tlv {
  tag: number;
  /** Where the value starts. */
  start: number;
  /** Where the value ends; undefined for an indefinite length (ends at 00 00). */
  end?: number;
}

function tlv(b: Buffer, at: number): Tlv | undefined {
  const tag = b[at];
  let n = b[at + 1];
  if (tag === undefined || n === undefined) return undefined;
  let start = at + 2;
  if (n === 0x80) return { tag, start };
  if (n > 0x80) {
    const count = n & 0x7f;
    if (count > 4 || start + count > b.length) return undefined;
    n = 0;
    for (let i = 0; i < count; i++) n = n * 256 + (b[start + i] as number);
    start += count;
  }
  return { tag, start, end: start + n };
}

// Where the element at `at` ends (indefinite lengths followed to their 00 00, a bounded number of steps).
function skip(b: Buffer, at: number, steps: { left: number }): number | undefined {
  const t = tlv(b, at);
  if (!t || --steps.left < 0) return undefined;
  if (t.end !== undefined) return t.end;
  let p = t.start;
  while (p + 1 < b.length && !(b[p] === 0 && b[p + 1] === 0)) {
    const next = skip(b, p, steps);
    if (next === undefined) return undefined;
    p = next;
  }
  return p + 2;
}

/**
 * Whether a CMS ContentInfo carries content a client would unwrap: true for signed data with its content
 * inside or any other content type (enveloped data…), false for signed data without content (certificates
 * only), undefined when the bytes are not CMS as far as they go.
 *
 * @example
 * ```ts
 * cmsCarriesContent(Buffer.from('3080060a2a864886f70d010703', 'hex')); // undefined (cut short)
 * ```
 */
export function cmsCarriesContent(head: Buffer): boolean | undefined {
  const steps = { left: MAX_STEPS };
  const info = tlv(head, 0);
  if (info?.tag !== 0x30) return undefined;
  const type = tlv(head, info.start);
  if (type?.tag !== 0x06 || type.end === undefined) return undefined;
  if (!head.subarray(type.start, type.end).equals(SIGNED_DATA))
    return type.end <= head.length ? true : undefined;
  const wrapper = tlv(head, type.end);
  if (wrapper?.tag !== 0xa0) return undefined;
  const signed = tlv(head, wrapper.start);
  if (signed?.tag !== 0x30) return undefined;
  const afterVersion = skip(head, signed.start, steps);
  const afterDigests = afterVersion === undefined ? undefined : skip(head, afterVersion, steps);
  if (afterDigests === undefined) return undefined;
  const encap = tlv(head, afterDigests);
  if (encap?.tag !== 0x30) return undefined;
  const afterType = skip(head, encap.start, steps);
  if (afterType === undefined || afterType + 1 >= head.length) return undefined;
  if (encap.end !== undefined && afterType >= encap.end) return false;
  return head[afterType] === 0xa0;
}

const PKCS7 = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/**
 * Why an S/MIME part that claims to hold certificates only (`smime-type=certs-only`, or a `.p7c` name) is
 * still a finding: its first decoded bytes (`head`) show CMS content a client would unwrap.
 *
 * @example
 * ```ts
 * certsOnlyClaimProblem('application/pkcs7-mime', 'application/pkcs7-mime; smime-type=certs-only', [], head);
 * ```
 */
export function certsOnlyClaimProblem(
  contentType: string,
  rawType: string,
  names: readonly string[],
  head: Buffer,
): string | undefined {
  if (!PKCS7.has(contentType)) return undefined;
  const claims = /smime-type\s*=\s*"?certs-only/i.test(rawType) || names.some((n) => /\.p7c\s*$/i.test(n));
  if (!claims || cmsCarriesContent(head) !== true) return undefined;
  return `S/MIME that says it holds certificates only carries content (${contentType}): clients unwrap it, the walk cannot open it`;
}
