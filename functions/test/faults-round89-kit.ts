// Fault round 89's shared helpers: messages built from raw lines (line ends chosen per line), and a MIME part's
// bytes found by its boundary, to compare the parts an edit must leave untouched.
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { invoke, UPDATES } from './fault-harness.js';

/**
 * The bytes of each part between `--boundary` delimiter lines (the delimiter's own line end excluded from the part
 * before it, as RFC 2046 has it), by position: [preamble, part 1, part 2, …]. Latin-1, byte for byte.
 */
export function partsOf(message: Buffer, boundary: string): Buffer[] {
  const text = message.toString('latin1');
  const marker = new RegExp(`\\r?\\n--${boundary.replace(/[^\w]/g, '\\$&')}(--)?(?=[ \\t]*\\r?\\n|$)`, 'g');
  const pieces: Buffer[] = [];
  let from = 0;
  for (const m of text.matchAll(marker)) {
    pieces.push(Buffer.from(text.slice(from, m.index), 'latin1'));
    from = (m.index ?? 0) + m[0].length;
    if (m[1]) break;
  }
  return pieces;
}

/** A part's body decoded from its Content-Transfer-Encoding (base64, quoted-printable; others as they are). */
export function content(part: Buffer): Buffer {
  const text = part.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const cte = /^content-transfer-encoding:\s*([\w-]+)/im.exec(head)?.[1]?.toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r?\n|=$/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
  return Buffer.from(body, 'latin1');
}

/** No byte over 127, no bare CR or LF, no line over 998 octets. */
export const isSevenBit = (b: Buffer) =>
  !/[\x80-\xff]|\r(?!\n)|(?<!\r)\n|[^\r\n]{999}/.test(b.toString('latin1'));

export const DISCLAIMER = 'Confidential: for the addressee only.';
export const BANNER = 'Outside mail: take care with links (fault round 89).';

/**
 * One rewrite of `bytes` by outbound-policy's disclaimer ({@link DISCLAIMER}) or the guard's banner on outside mail
 * ({@link BANNER}): what WorkMail then holds, how many versions it has, and the answer.
 */
export async function rewritten(
  stack: LocalStack,
  bytes: Buffer,
  by: 'disclaimer' | 'banner',
): Promise<{
  out: Buffer;
  versions: number;
  response?: unknown;
  error?: Error;
  /** WorkMail's retry of the same event: what it then holds. */
  retry(): Promise<{ out: Buffer; versions: number; response?: unknown; error?: Error }>;
}> {
  const id = stack.flow.load(bytes);
  const common = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES };
  const handler =
    by === 'disclaimer'
      ? outboundPolicy({ ...common, DISCLAIMER_TEXT: DISCLAIMER })
      : guard({
          ...common,
          EXTERNAL_BANNER: BANNER,
          EXTERNAL_MARKER_KEY: 'fault-round-89-marker-key-0123456789',
        });
  const event =
    by === 'disclaimer'
      ? makeFlowEvent({
          messageId: id,
          direction: 'OUTBOUND',
          mailFrom: 'dan@corp.example',
          recipients: ['orders@shop.example'],
        })
      : makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });
  const once = async () => {
    const { response, error } = await invoke(handler, event);
    const history = stack.flow.history(id);
    return { out: history.at(-1)?.content ?? Buffer.alloc(0), versions: history.length, response, error };
  };
  return { ...(await once()), retry: once };
}
