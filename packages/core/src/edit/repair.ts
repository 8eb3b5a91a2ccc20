import { wrap as base64Wrap } from 'nodemailer/lib/base64';
import { quotedPrintable } from './quoted-printable.js';

/** Longest line WorkMail accepts, without the CRLF. */
export const MAX_LINE_OCTETS = 998;

/** Why a body must be re-encoded before WorkMail accepts it, or undefined when it is fine as it is. */
export function repairReason(body: Buffer): string | undefined {
  let lineStart = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte > 0x7f) return '8-bit content';
    if (byte === 0x0a) {
      const end = i > 0 && body[i - 1] === 0x0d ? i - 1 : i;
      if (end - lineStart > MAX_LINE_OCTETS) return 'a line over 998 octets';
      lineStart = i + 1;
    }
  }
  return body.length - lineStart > MAX_LINE_OCTETS ? 'a line over 998 octets' : undefined;
}

/** Re-encodes a 7bit/8bit/binary body without changing its bytes' meaning: quoted-printable for text, base64 otherwise. */
export function reencode(body: Buffer, isText: boolean, eol: string): { body: Buffer; encoding: string } {
  const lineEnd = eol === '\r\n' ? '\r\n' : '\n';
  if (isText) return { body: quotedPrintable(body, lineEnd), encoding: 'quoted-printable' };
  const text = base64Wrap(body.toString('base64'), 76);
  return { body: Buffer.from(lineEnd === '\r\n' ? text : text.replace(/\r\n/g, '\n')), encoding: 'base64' };
}
