import { createHash, createSign, createVerify, generateKeyPairSync } from 'node:crypto';

// DKIM signing and verification (RFC 6376, relaxed/relaxed, rsa-sha256) for tests that replay the organization's
// signed mail (attacker round 104, false-positive round 6): one key stands for every signer's, and a test checks that
// the replay still verifies as SES would find it, since no DKIM verification runs locally.

const CRLF = '\r\n';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

type Field = { name: string; value: string };

const relaxedHeader = (f: Field) =>
  `${f.name.trim().toLowerCase()}:${f.value
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()}${CRLF}`;

function relaxedBody(body: string): string {
  const lines = body.split(CRLF).map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join(CRLF)}${CRLF}`;
}

const fieldsOf = (head: readonly string[]): Field[] =>
  head.map((l) => ({ name: l.slice(0, l.indexOf(':')), value: l.slice(l.indexOf(':') + 1) }));

// The signed header fields in order: each name in h= takes the next instance from the bottom (RFC 6376 5.4.2).
function signedHeaders(fields: readonly Field[], h: readonly string[]): string {
  const used = new Set<number>();
  let out = '';
  for (const name of h) {
    for (let i = fields.length - 1; i >= 0; i--) {
      const f = fields[i] as Field;
      if (used.has(i) || f.name.trim().toLowerCase() !== name.toLowerCase()) continue;
      used.add(i);
      out += relaxedHeader(f);
      break;
    }
  }
  return out;
}

const bodyHash = (body: string, l?: number) =>
  createHash('sha256')
    .update(l === undefined ? relaxedBody(body) : relaxedBody(body).slice(0, l))
    .digest('base64');

/** A signer: its domain, the fields it lists, and optional `l=`, `x=` and other tags (written before `h=`). */
export interface DkimSigner {
  d: string;
  h: readonly string[];
  l?: number;
  x?: number;
  tags?: readonly string[];
}

/**
 * The `DKIM-Signature:` line (unfolded) signing `head` (one `Name: value` string a field) and `body` (CRLF lines).
 *
 * @example
 * ```ts
 * const line = dkimSign(['From: a@corp.example', 'Subject: hi'], 'Hello\r\n', { d: 'corp.example', h: ['from', 'subject'] });
 * ```
 */
export function dkimSign(head: readonly string[], body: string, s: DkimSigner): string {
  const tags = [
    'v=1',
    'a=rsa-sha256',
    'c=relaxed/relaxed',
    `d=${s.d}`,
    's=s1',
    ...(s.tags ?? []),
    ...(s.x === undefined ? [] : [`x=${s.x}`]),
    ...(s.l === undefined ? [] : [`l=${s.l}`]),
    `h=${s.h.join(':')}`,
    `bh=${bodyHash(body, s.l)}`,
    'b=',
  ].join('; ');
  const data =
    signedHeaders(fieldsOf(head), s.h) + relaxedHeader({ name: 'DKIM-Signature', value: tags }).slice(0, -2);
  return `DKIM-Signature: ${tags}${createSign('sha256').update(data).sign(privateKey, 'base64')}`;
}

/**
 * Each DKIM-Signature of the message `bytes`, in order: its `d=`, and whether it verifies over the message as it is
 * (body hash and signature, with {@link dkimSign}'s key).
 *
 * @example
 * ```ts
 * dkimResults(bytes).every((r) => r.verified); // every signature still verifies after the replay's additions
 * ```
 */
export function dkimResults(bytes: Buffer): { d: string; verified: boolean }[] {
  const text = bytes.toString('utf-8');
  const cut = text.indexOf(CRLF + CRLF);
  const fields = fieldsOf(text.slice(0, cut).split(CRLF));
  const body = text.slice(cut + 4);
  return fields
    .filter((f) => f.name.toLowerCase() === 'dkim-signature')
    .map((f) => {
      const tags = new Map(
        f.value
          .split(';')
          .map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).trim()]),
      );
      const d = tags.get('d') ?? '';
      const l = tags.has('l') ? Number(tags.get('l')) : undefined;
      if (bodyHash(body, l) !== tags.get('bh')) return { d, verified: false };
      const unsigned = f.value.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2');
      const data =
        signedHeaders(fields, (tags.get('h') ?? '').split(':')) +
        relaxedHeader({ name: f.name, value: unsigned }).slice(0, -2);
      const verified = createVerify('sha256')
        .update(data)
        .verify(publicKey, tags.get('b') ?? '', 'base64');
      return { d, verified };
    });
}
