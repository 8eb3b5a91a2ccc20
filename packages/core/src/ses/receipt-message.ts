import type { Readable } from 'node:stream';
import { lazyModule } from '../lazy-module.js';
import type { AuthMethodResult, AuthVerdicts } from '../message/auth-results.js';
import type { TextBodies } from '../message/body-text.js';
import type { MessageHeaders } from '../message/headers.js';
import type { LazyMessage, MessageAccess } from '../message/message.js';
import type { ParsedMessage } from '../message/parse.js';
import type { PartInventory } from '../message/part-walk.js';
import type { SesMessage, SesVerdictStatus } from './event.js';

const loadHeaders = lazyModule(() => import('../message/headers.js'));

const SES_AUTHSERV_ID = 'amazonses.com';
// A header of the event that rebuilds into the very bytes SES received: printable ASCII and tabs only.
const PLAIN_TEXT = /^[\t\x20-\x7e]*$/;
// SES's statuses in the words of Authentication-Results (RFC 8601); DISABLED: not checked, so no result.
const RESULT: Record<SesVerdictStatus, string | undefined> = {
  PASS: 'pass',
  FAIL: 'fail',
  GRAY: 'none',
  PROCESSING_FAILED: 'temperror',
  DISABLED: undefined,
};

/**
 * SES's receipt verdicts as {@link AuthVerdicts}, the shape header-reading rules already use.
 *
 * @example
 * ```ts
 * const { receipt } = makeSesEvent({ verdicts: { virus: 'FAIL', dkim: 'GRAY' } }).Records[0].ses;
 * receiptVerdicts(receipt);
 * // { authServId: 'amazonses.com', methods: [...], spf: 'pass', dkim: 'none', dmarc: 'pass',
 * //   sesSpam: 'PASS', sesVirus: 'FAIL' }
 * ```
 */
export function receiptVerdicts(receipt: SesMessage['receipt']): AuthVerdicts {
  const methods: AuthMethodResult[] = [];
  const out: AuthVerdicts = { authServId: SES_AUTHSERV_ID, methods };
  for (const method of ['spf', 'dkim', 'dmarc'] as const) {
    const result = RESULT[receipt[`${method}Verdict`].status];
    if (result === undefined) continue;
    out[method] = result;
    methods.push({
      method,
      result,
      props: method === 'dmarc' && receipt.dmarcPolicy ? { policy: receipt.dmarcPolicy } : {},
    });
  }
  const spam = receipt.spamVerdict.status;
  const virus = receipt.virusVerdict.status;
  if (spam !== 'DISABLED') out.sesSpam = spam;
  if (virus !== 'DISABLED') out.sesVirus = virus;
  return out;
}

/**
 * The message of an SES receipt: SES's verdicts and (when the event lists them all) the header block come
 * from the event, so rules that read only those never touch S3; bodies come lazily from the S3 object.
 */
export class ReceiptMessage implements MessageAccess {
  private headerMemo?: Promise<MessageHeaders>;

  constructor(
    private readonly inner: LazyMessage,
    private readonly ses: SesMessage,
    private readonly options: { headerSource?: 'event' | 'stored' } = {},
  ) {}

  headers(): Promise<MessageHeaders> {
    this.headerMemo ??= this.eventHeaders();
    return this.headerMemo;
  }

  async authVerdicts(trustedAuthServIds?: readonly string[]): Promise<AuthVerdicts> {
    const trustsSes =
      trustedAuthServIds === undefined ||
      trustedAuthServIds.some((id) => id.toLowerCase() === SES_AUTHSERV_ID);
    if (trustsSes) return receiptVerdicts(this.ses.receipt);
    return this.inner.authVerdicts(trustedAuthServIds);
  }

  stream(): Readable {
    return this.inner.stream();
  }

  beginFinalReads(): void {
    this.inner.beginFinalReads();
  }

  bytes(): Promise<Buffer> {
    return this.inner.bytes();
  }

  parsed(): Promise<ParsedMessage> {
    return this.inner.parsed();
  }

  size(): Promise<number> {
    return this.inner.size();
  }

  parts(): Promise<PartInventory> {
    return this.inner.parts();
  }

  announcedSize(): Promise<number | undefined> {
    return this.inner.announcedSize();
  }

  lengthAnnounced(): Promise<boolean> {
    return this.inner.lengthAnnounced();
  }

  textBodies(): Promise<TextBodies> {
    return this.inner.textBodies();
  }

  close(options: { abandon?: boolean } = {}): Promise<void> {
    return this.inner.close(options);
  }

  private async eventHeaders(): Promise<MessageHeaders> {
    // The stored block is what the recipient's client shows; SES's list is its own parse (attacker round 123).
    if (this.options.headerSource === 'stored') return this.inner.headers();
    const { headers, headersTruncated } = this.ses.mail;
    const lines = headers.map((h) => `${h.name}: ${h.value}\r\n`);
    const whole =
      !headersTruncated &&
      headers.length > 0 &&
      headers.every((h) => PLAIN_TEXT.test(h.name) && PLAIN_TEXT.test(h.value));
    const block = Buffer.from(`${lines.join('')}\r\n`);
    // An incomplete list, or values that would not survive a rebuild, are read from the stored message. So is a
    // list with any letter past ASCII: the event holds SES's decoding of the bytes (a byte that is no UTF-8 gone),
    // while the rules read a header's bytes several ways, as a client may show them (attacker round 80).
    if (!whole || block.length > this.inner.limits.maxHeaderBytes) return this.inner.headers();
    return new (await loadHeaders()).MessageHeaders(block);
  }
}
