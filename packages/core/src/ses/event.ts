/** A verdict SES reached while receiving (`DISABLED` when scanning is off for the receipt rule). */
export type SesVerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

/** One header of the received message, as SES lists it in the event. */
export interface SesHeader {
  name: string;
  value: string;
}

/** `ses.mail`: the message as SES received it. The body is not here: an earlier S3 action stored it. */
export interface SesMail {
  timestamp: string;
  /** MAIL FROM (empty for the null sender). */
  source: string;
  /** SES's id of the message; the S3 action stores the message under `<prefix><messageId>`. */
  messageId: string;
  /** Every RCPT TO of the SMTP transaction (the receipt rule's recipients are in `receipt.recipients`). */
  destination: string[];
  /** True when SES cut the header list. */
  headersTruncated: boolean;
  headers: SesHeader[];
  commonHeaders: {
    subject?: string;
    from?: string[];
    to?: string[];
    messageId?: string;
    [k: string]: unknown;
  };
}

/** `ses.receipt`: what the receipt rule saw and concluded. */
export interface SesReceipt {
  timestamp: string;
  processingTimeMillis: number;
  /** The recipients this receipt rule matched: the ones the Lambda decides for. */
  recipients: string[];
  spamVerdict: { status: SesVerdictStatus };
  virusVerdict: { status: SesVerdictStatus };
  spfVerdict: { status: SesVerdictStatus };
  dkimVerdict: { status: SesVerdictStatus };
  dmarcVerdict: { status: SesVerdictStatus };
  /** The sending domain's DMARC policy, when its DMARC check failed. */
  dmarcPolicy?: 'none' | 'quarantine' | 'reject';
  action: { type: string; functionArn?: string; invocationType?: string; [k: string]: unknown };
}

/**
 * The event a receipt rule's Lambda action passes: one record with the message's headers and SES's verdicts.
 *
 * @example
 * ```ts
 * const { mail, receipt } = event.Records[0].ses;
 * console.log(mail.source, receipt.recipients, receipt.virusVerdict.status);
 * ```
 */
export interface SesEvent {
  Records: [{ eventSource: 'aws:ses'; eventVersion: string; ses: { mail: SesMail; receipt: SesReceipt } }];
}

/** One record's `ses` part: what {@link parseSesEvent} returns. */
export type SesMessage = SesEvent['Records'][0]['ses'];

/**
 * What a `RequestResponse` Lambda action returns: CONTINUE runs the rule's next actions, STOP_RULE skips
 * them (later rules still run), STOP_RULE_SET ends all processing. Anything else counts as CONTINUE.
 *
 * @example
 * ```ts
 * const answer: SesDisposition = { disposition: 'STOP_RULE_SET' };
 * ```
 */
export interface SesDisposition {
  disposition: 'CONTINUE' | 'STOP_RULE' | 'STOP_RULE_SET';
}
