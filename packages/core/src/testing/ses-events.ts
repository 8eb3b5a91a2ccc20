import { randomBytes } from 'node:crypto';
import type { SesEvent, SesHeader, SesVerdictStatus } from '../ses/event.js';

/** SES's verdicts for a synthetic receipt; each defaults to PASS. */
export interface SesReceiptVerdicts {
  spam?: SesVerdictStatus;
  virus?: SesVerdictStatus;
  spf?: SesVerdictStatus;
  dkim?: SesVerdictStatus;
  dmarc?: SesVerdictStatus;
  dmarcPolicy?: 'none' | 'quarantine' | 'reject';
}

/** Options of {@link makeSesEvent}. */
export interface MakeSesEventOptions {
  /** SES's message id (the S3 object's key after the prefix). Default a fresh 40-character id. */
  messageId?: string;
  /** MAIL FROM. */
  source?: string;
  /** The receipt rule's recipients. */
  recipients?: readonly string[];
  /** Every RCPT TO; default the recipients. */
  destination?: readonly string[];
  subject?: string;
  /** The message's headers in order; default From, To and Subject built from the other options. */
  headers?: readonly SesHeader[];
  verdicts?: SesReceiptVerdicts;
  /** The Lambda function's ARN in `receipt.action`. */
  functionArn?: string;
}

/**
 * A fresh id in SES's style: 40 lower-case letters and digits.
 *
 * @example
 * ```ts
 * /^[a-z0-9]{40}$/.test(sesMessageId()); // true
 * ```
 */
export function sesMessageId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Builds the event an SES receipt rule's Lambda action (RequestResponse) passes, for tests, local runs and
 * `sam local invoke -e`.
 *
 * @example
 * ```ts
 * const event = makeSesEvent({ recipients: ['a@corp.example'], verdicts: { virus: 'FAIL' } });
 * ```
 */
export function makeSesEvent(options: MakeSesEventOptions = {}): SesEvent {
  const source = options.source ?? 'sender@external.example';
  const recipients = [...(options.recipients ?? ['user@corp.example'])];
  const subject = options.subject ?? 'Test message';
  const v = options.verdicts ?? {};
  const now = new Date().toISOString();
  const headers = options.headers ?? [
    { name: 'From', value: source },
    { name: 'To', value: recipients.join(', ') },
    { name: 'Subject', value: subject },
  ];
  const header = (name: string) => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  const status = (s: SesVerdictStatus | undefined) => ({ status: s ?? 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: now,
            source,
            messageId: options.messageId ?? sesMessageId(),
            destination: [...(options.destination ?? recipients)],
            headersTruncated: false,
            headers: [...headers],
            commonHeaders: {
              returnPath: source,
              from: header('from'),
              to: header('to'),
              subject,
              ...(header('date')[0] ? { date: header('date')[0] } : {}),
              ...(header('message-id')[0] ? { messageId: header('message-id')[0] } : {}),
            },
          },
          receipt: {
            timestamp: now,
            processingTimeMillis: 120,
            recipients,
            spamVerdict: status(v.spam),
            virusVerdict: status(v.virus),
            spfVerdict: status(v.spf),
            dkimVerdict: status(v.dkim),
            dmarcVerdict: status(v.dmarc),
            ...(v.dmarcPolicy ? { dmarcPolicy: v.dmarcPolicy } : {}),
            action: {
              type: 'Lambda',
              functionArn: options.functionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:wmflow-ses',
              invocationType: 'RequestResponse',
            },
          },
        },
      },
    ],
  };
}
