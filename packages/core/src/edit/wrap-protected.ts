import { randomUUID } from 'node:crypto';
import type { Disclaimer } from './edits.js';
import { headersOf, type SplitNode } from './part-info.js';
import { encodeText } from './text-codec.js';

const CONTENT_HEADERS = [
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-description',
  'content-id',
];

/** What goes around the untouched signed or encrypted body when it is wrapped. */
export interface Wrapping {
  prefix: Buffer;
  suffix: Buffer;
}

/**
 * Turns the root into multipart/mixed: a first part carries the disclaimers,
 * the second is the original signed or encrypted entity with its own content
 * headers and its body byte for byte, so its signature still verifies.
 */
export function wrapProtectedRoot(
  root: SplitNode,
  disclaimers: readonly Disclaimer[],
  eol: string,
  preamble = 'This message contains signed or encrypted content; it is attached unchanged.',
): Wrapping {
  const headers = headersOf(root);
  const moved = CONTENT_HEADERS.flatMap((name) => headers.get(name));
  for (const name of CONTENT_HEADERS) headers.remove(name);
  const boundary = `wmflow-wrap-${randomUUID()}`;
  headers.add('Content-Type', `multipart/mixed; boundary="${boundary}"`);
  const text = disclaimers.map((d) => d.text).join('\n\n');
  const prefix = [
    preamble,
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    encodeText(text, eol).toString(),
    `--${boundary}`,
    ...moved,
    '',
    '',
  ].join(eol);
  return { prefix: Buffer.from(prefix), suffix: Buffer.from(`${eol}--${boundary}--${eol}`) };
}
