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
  const policy = found.authServId === undefined ? undefined : dmarcPolicyOf(headers, found.authServId);
  if (fromHeaders.dmarc === 'FAIL' && policy) fromHeaders.dmarcPolicy = policy;
  const given = options.verdicts ?? {};
  const verdicts = { ...fromHeaders, ...given };
  // A policy goes with a failure only (SES gives none otherwise): a --ses-verdict dmarc other than FAIL drops it.
  if (verdicts.dmarc !== 'FAIL') delete verdicts.dmarcPolicy;
  return makeSesEvent({
    messageId: options.messageId,
    source: options.mailFrom,
    recipients: options.recipients,
    subject: options.subject,
    headers: headers.fields.map((f) => ({ name: f.name, value: f.value })),
    verdicts,
  });
}

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];

/**
 * The sending domain's DMARC policy as SES's Authentication-Results shows it, in the comment after the result
 * (`dmarc=fail (p=REJECT sp=REJECT pct=100)`), so `enforceDmarcPolicy` (guard-ses) acts in replay as on SES, which puts
 * the same policy in the receipt's `dmarcPolicy`. Read from the topmost header of the trusted authserv-id only.
 */
function dmarcPolicyOf(headers: MessageHeaders, authServId: string): SesReceiptVerdicts['dmarcPolicy'] {
  const id = authServId.toLowerCase();
  const value = headers.all('authentication-results').find(
    (v) =>
      v
        .split(';', 1)[0]
        ?.replace(/\([^)]*\)/g, '')
        .trim()
        .toLowerCase() === id,
  );
  const p = /\bdmarc\s*=\s*[a-z]+\s*\(\s*p\s*=\s*([a-z]+)/i.exec(value ?? '')?.[1]?.toLowerCase();
  return p !== undefined && POLICIES.includes(p) ? (p as SesReceiptVerdicts['dmarcPolicy']) : undefined;
}

/**
 * Parses `spam=FAIL,virus=PASS,…` (the `--ses-verdict` flag) into verdicts; `dmarc-policy=none|quarantine|reject` sets
 * the receipt's `dmarcPolicy`, which SES gives with a DMARC FAIL only.
 */
export function parseSesVerdicts(values: readonly string[]): SesReceiptVerdicts {
  const out: SesReceiptVerdicts = {};
  for (const item of values.flatMap((v) => v.split(','))) {
    const [key, value] = item.split('=').map((s) => s.trim());
    if (key === 'dmarc-policy') {
      const policy = value?.toLowerCase();
      if (!policy || !POLICIES.includes(policy))
        throw new TypeError(`--ses-verdict: expected dmarc-policy=${POLICIES.join('|')}, got "${item}"`);
      out.dmarcPolicy = policy as SesReceiptVerdicts['dmarcPolicy'];
      continue;
    }
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
