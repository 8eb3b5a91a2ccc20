import { authVerdicts } from '@wmflow/core';
import { MessageHeaders } from '@wmflow/core/mime';
import type { SesEvent, SesVerdictStatus } from '@wmflow/core/ses';
import { makeSesEvent, type SesReceiptVerdicts } from '@wmflow/core/testing';
import { headerBlock } from '../replay/envelope.js';

// Authentication-Results words in SES's receipt statuses.
const STATUS: Record<string, SesVerdictStatus> = {
  pass: 'PASS',
  fail: 'FAIL',
  softfail: 'GRAY',
  neutral: 'GRAY',
  none: 'GRAY',
  policy: 'FAIL',
  temperror: 'PROCESSING_FAILED',
  permerror: 'PROCESSING_FAILED',
};
const SES_STATUSES: readonly string[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

/** Options of {@link sesEventFromEml}. */
export interface SesEventFromEmlOptions {
  messageId: string;
  mailFrom: string;
  recipients: readonly string[];
  subject: string;
  /** Verdicts given on the command line win over those read from the message's headers. */
  verdicts?: SesReceiptVerdicts;
}

/**
 * The event SES would pass a receipt rule's Lambda action for this message: its headers in order, and SES's
 * verdicts from `verdicts`, else from the message's `X-SES-*-Verdict` and SES's Authentication-Results
 * headers (a fixture of mail once received by SES), else PASS.
 *
 * @example
 * ```ts
 * const event = sesEventFromEml(bytes, { messageId, mailFrom, recipients, subject });
 * ```
 */
export function sesEventFromEml(bytes: Buffer, options: SesEventFromEmlOptions): SesEvent {
  const headers = new MessageHeaders(headerBlock(bytes));
  const found = authVerdicts(headers);
  const word = (w: string | undefined) => (w === undefined ? undefined : STATUS[w.toLowerCase()]);
  const ses = (v: string | undefined) =>
    v !== undefined && SES_STATUSES.includes(v) ? (v as SesVerdictStatus) : undefined;
  const fromHeaders: SesReceiptVerdicts = {};
  const put = (k: 'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', v: SesVerdictStatus | undefined) => {
    if (v !== undefined) fromHeaders[k] = v;
  };
  put('spam', ses(found.sesSpam));
  put('virus', ses(found.sesVirus));
  put('spf', word(found.spf));
  put('dkim', word(found.dkim));
  put('dmarc', word(found.dmarc));
  return makeSesEvent({
    messageId: options.messageId,
    source: options.mailFrom,
    recipients: options.recipients,
    subject: options.subject,
    headers: headers.fields.map((f) => ({ name: f.name, value: f.value })),
    verdicts: { ...fromHeaders, ...options.verdicts },
  });
}

/** Parses `spam=FAIL,virus=PASS,…` (the `--ses-verdict` flag) into verdicts. */
export function parseSesVerdicts(values: readonly string[]): SesReceiptVerdicts {
  const out: SesReceiptVerdicts = {};
  for (const item of values.flatMap((v) => v.split(','))) {
    const [key, value] = item.split('=').map((s) => s.trim());
    const status = value?.toUpperCase();
    if (
      !key ||
      !['spam', 'virus', 'spf', 'dkim', 'dmarc'].includes(key) ||
      !status ||
      !SES_STATUSES.includes(status)
    ) {
      throw new TypeError(
        `--ses-verdict: expected spam|virus|spf|dkim|dmarc=${SES_STATUSES.join('|')}, got "${item}"`,
      );
    }
    out[key as 'spam'] = status as SesVerdictStatus;
  }
  return out;
}
