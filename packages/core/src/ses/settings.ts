import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigError } from '../errors.js';
import type { DeadlineOptions } from '../flow/deadline.js';
import type { ErrorPolicy, FlowLogger, Rule } from '../flow/types.js';
import type { LazyMessageOptions } from '../message/message.js';
import { checkOptionNames } from '../option-names.js';
import { bucketNameProblem } from '../s3-names.js';
import { assertVerdictAllowed, type InboundVerdict, type Verdict, Verdicts } from '../verdicts.js';
import type { SesFlowClients, StoredMessageOptions } from './clients.js';
import { resolveDisposition, type SesVerdictPolicy } from './disposition.js';
import type { SesDisposition } from './event.js';

/**
 * SES's limits, handed to the engine-neutral core as settings.
 *
 * @example
 * ```ts
 * SES_LIMITS.timeoutMs; // 30000
 * SES_LIMITS.maxMessageBytes; // 41943040 (40 MiB)
 * ```
 */
export const SES_LIMITS = {
  /** A RequestResponse Lambda action waits this long for the answer, in milliseconds. */
  timeoutMs: 30_000,
  /** Largest message SES receives (with the S3 action), in bytes. */
  maxMessageBytes: 40 * 1024 * 1024,
} as const;

/**
 * Options of `sesFlow()`.
 *
 * @example
 * ```ts
 * const options: SesFlowOptions = {
 *   rules: [enforceSesVerdicts()],
 *   stored: { bucket: 'corp-inbound-mail', keyPrefix: 'inbound/' },
 *   bounceSender: 'postmaster@corp.example',
 * };
 * ```
 */
export interface SesFlowOptions {
  /** The chain, run in order: the same rules as a WorkMail inbound flow. */
  rules: readonly Rule<'INBOUND'>[];
  /** Where the receipt rule's S3 action (before the Lambda action) stores the message. */
  stored: StoredMessageOptions;
  /**
   * From address of bounces (SendBounce's BounceSender): an identity verified in SES. Without it a BOUNCE
   * verdict still stops the message, but no bounce is sent (reported at start-up and per message).
   */
  bounceSender?: string;
  /** SendBounce's BounceSenderArn, for sending authorization. */
  bounceSenderArn?: string;
  /** How verdicts a receipt rule cannot express per recipient are resolved. */
  policy?: SesVerdictPolicy;
  /** More lines for the start-up report: settings of a prebuilt function that do not apply on SES. */
  notes?: readonly string[];
  /** The organization's own domains (internal/external tests). */
  organizationDomains?: readonly string[];
  /** Policy for a rule that throws, and for an invocation that fails as a whole. Default `'fail-open'`. */
  onError?: ErrorPolicy<'INBOUND'>;
  /**
   * The answer to an event that cannot be read (it fails validation: a verdict status outside SES's five, no
   * `mail.commonHeaders`, no recipient, …), where no rule can run: `CONTINUE` lets the rule set go on unchecked,
   * `STOP_RULE` skips the rule's later actions (a following quarantine rule keeps the message), `STOP_RULE_SET` ends
   * all processing, `rethrow` fails the invocation. Logged as an error with the reason either way. Default: from
   * `onError` (`fail-open` → `CONTINUE`, `rethrow` → `rethrow`, `{ failClosed }` → that verdict's disposition). A
   * protective flow sets it (guard-ses answers `STOP_RULE`: attacker round 83).
   */
  onInvalidEvent?: SesInvalidEventAnswer;
  /**
   * The answer where the invocation would fail so that it is tried again: a rule asks for a retry (a transient read
   * of the stored message, a stored object that is another message) or the deadline guard cannot answer. SES
   * documents no retry of a failed `RequestResponse` action, nor what it does with the message then. `rethrow`
   * (default) fails the invocation; a disposition answers instead, logged as an error with the reason, so that a
   * protection that could not decide holds the message (guard-ses answers `STOP_RULE`: fault round 68).
   */
  onRetryableError?: SesInvalidEventAnswer;
  /**
   * The answer where an error escapes the chain outside any rule (a defect in wmflow's own code after the rules:
   * resolving, reporting), so that the rules' verdicts cannot be trusted to have been answered. `CONTINUE`, `STOP_RULE`,
   * `STOP_RULE_SET` or `rethrow`, logged as an error with the reason. Default: `onError`'s verdict for every recipient,
   * as before (`fail-open` → `CONTINUE`; a `{ failClosed: bounce }` still bounces). A protective flow sets it (guard-ses answers `STOP_RULE`: attacker round 88). A rule's
   * own failure follows the rule's policy (or `onError`), never this.
   *
   * @example
   * ```ts
   * sesFlow({ rules, stored, onInvalidEvent: 'STOP_RULE', onFlowError: 'STOP_RULE' });
   * ```
   */
  onFlowError?: SesInvalidEventAnswer;
  /**
   * Where the rules read the header block: `event` (default), the event's header list when it is whole and plain
   * ASCII (rules that read only headers never touch S3); `stored`, always the stored message's own block, which is
   * what the recipient's client shows: SES's parse of the header lines is not documented, and a field it lists
   * otherwise (or not at all) is judged as shown (attacker round 123). A flow that reads the body anyway loses nothing.
   *
   * @example
   * ```ts
   * sesFlow({ headerSource: 'stored', rules: [impersonatesProtectedName({ names: ['Jane Doe'] })] });
   * ```
   */
  headerSource?: SesHeaderSource;
  /**
   * Where to record why a message was held: on every `STOP_RULE` answer (the junk policy's quarantine,
   * `onInvalidEvent`, `onRetryableError`) a small JSON object ({@link SesHoldRecord}) is written to
   * `<keyPrefix><messageId>.json` before the answer, so that `wmflow quarantine list` can say why the message the
   * quarantine rule keeps was held (fault round 70). Best effort within SES's wait: a record that cannot be written
   * is logged as a warning and never changes the answer. Absent (default): no record is written.
   */
  holdRecord?: { bucket: string; keyPrefix?: string };
  /** Verdict for recipients still open when the deadline guard answers. Default DEFAULT. */
  fallback?: InboundVerdict;
  /** Deadline guard; SES waits 30 s for a RequestResponse Lambda action. */
  deadline?: DeadlineOptions;
  /**
   * The receipt rule Lambda action's InvocationType. `'RequestResponse'` (default): SES waits at most 30 s (or
   * `deadline.engineTimeoutMs`) for the answer, so the chain is bounded by that and by the Lambda's remaining time.
   * `'Event'`: SES does not wait (and ignores the answer), so only the Lambda's remaining time bounds the chain;
   * set it when the receipt rule invokes the function as `Event` (as template-ses.yaml does for archiver-ses).
   */
  invocationType?: SesInvocationType;
  logger?: FlowLogger;
  clients?: Partial<SesFlowClients>;
  /** Limits and spooling of message access; `limits.maxMessageBytes` defaults to SES's 40 MB. */
  message?: LazyMessageOptions;
}

/** What {@link SesFlowOptions.onInvalidEvent} answers to an event that cannot be read: a disposition, or `rethrow`. */
export type SesInvalidEventAnswer = SesDisposition['disposition'] | 'rethrow';

/**
 * Where the rules read the message's header block: the event's list (`event`) or the stored message (`stored`).
 *
 * @example
 * ```ts
 * const source: SesHeaderSource = 'stored';
 * ```
 */
export type SesHeaderSource = 'event' | 'stored';

/** How the receipt rule's Lambda action invokes the function (its InvocationType). */
export type SesInvocationType = 'RequestResponse' | 'Event';

/** SesFlowOptions checked once, with defaults merged. */
export interface SesSettings {
  rules: readonly Rule[];
  stored: StoredMessageOptions;
  bounceSender?: string;
  bounceSenderArn?: string;
  policy: Required<SesVerdictPolicy>;
  notes: readonly string[];
  organizationDomains: readonly string[];
  onError: ErrorPolicy;
  onInvalidEvent: SesInvalidEventAnswer;
  onRetryableError: SesInvalidEventAnswer;
  /** Absent: the flow's `onError` verdict is settled for every recipient. */
  onFlowError?: SesInvalidEventAnswer;
  headerSource: SesHeaderSource;
  holdRecord?: { bucket: string; keyPrefix: string };
  fallback: Verdict;
  deadline: DeadlineOptions;
  /** False for an `Event` invocation: SES does not wait for the answer, only the Lambda's time bounds the chain. */
  synchronous: boolean;
  logger: FlowLogger;
  clients: Partial<SesFlowClients>;
  message: LazyMessageOptions;
}

const INVALID_EVENT_ANSWERS: readonly SesInvalidEventAnswer[] = [
  'CONTINUE',
  'STOP_RULE',
  'STOP_RULE_SET',
  'rethrow',
];
const ADDRESS = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;
const PREFIX = /^[A-Za-z0-9!\-_.*'()/]{0,900}$/;

function verdict(field: string, v: Verdict): void {
  try {
    assertVerdictAllowed(v, 'INBOUND');
  } catch (error) {
    throw new ConfigError(field, (error as Error).message);
  }
}

/** Validates options, throwing {@link ConfigError} naming the field. */
export function checkSesOptions(options: SesFlowOptions): SesSettings {
  checkOptionNames('sesFlow', options, {
    rules: true,
    stored: true,
    bounceSender: true,
    bounceSenderArn: true,
    policy: true,
    notes: true,
    organizationDomains: true,
    onError: true,
    onInvalidEvent: true,
    onRetryableError: true,
    onFlowError: true,
    headerSource: true,
    holdRecord: true,
    fallback: true,
    deadline: true,
    invocationType: true,
    logger: true,
    clients: true,
    message: true,
  });
  if (!Array.isArray(options.rules)) throw new ConfigError('rules', 'must be an array of rules');
  options.rules.forEach((r, i) => {
    if (typeof r?.run !== 'function' || typeof r.name !== 'string') {
      throw new ConfigError(`rules[${i}]`, 'must be a rule ({ name, run })');
    }
  });
  const storedProblem = bucketNameProblem(options.stored?.bucket);
  if (storedProblem) throw new ConfigError('stored.bucket', `must be an S3 bucket name: ${storedProblem}`);
  if (options.stored.keyPrefix !== undefined && !PREFIX.test(options.stored.keyPrefix)) {
    throw new ConfigError('stored.keyPrefix', 'must be an S3 key prefix (safe characters only)');
  }
  if (options.bounceSender !== undefined && !ADDRESS.test(String(options.bounceSender))) {
    throw new ConfigError('bounceSender', 'must be an email address verified in SES');
  }
  const policy = {
    mixed: options.policy?.mixed ?? 'most-protective',
    junk: options.policy?.junk ?? 'quarantine',
  } as const;
  if (!['most-protective', 'least-protective'].includes(policy.mixed)) {
    throw new ConfigError('policy.mixed', "must be 'most-protective' or 'least-protective'");
  }
  if (!['quarantine', 'deliver', 'drop'].includes(policy.junk)) {
    throw new ConfigError('policy.junk', "must be 'quarantine', 'deliver' or 'drop'");
  }
  const fallback = (options.fallback ?? Verdicts.DEFAULT) as Verdict;
  verdict('fallback', fallback);
  const onError = (options.onError ?? 'fail-open') as ErrorPolicy;
  if (onError !== 'fail-open' && onError !== 'rethrow') {
    if (typeof onError !== 'object' || onError === null || !('failClosed' in onError)) {
      throw new ConfigError('onError', "must be 'fail-open', 'rethrow' or { failClosed: verdict }");
    }
    verdict('onError.failClosed', onError.failClosed);
  }
  const fromOnError: SesInvalidEventAnswer =
    onError === 'rethrow'
      ? 'rethrow'
      : onError === 'fail-open'
        ? 'CONTINUE'
        : resolveDisposition(new Map([['', onError.failClosed]]), policy).disposition;
  const onInvalidEvent = options.onInvalidEvent ?? fromOnError;
  if (!INVALID_EVENT_ANSWERS.includes(onInvalidEvent)) {
    throw new ConfigError('onInvalidEvent', `must be one of ${INVALID_EVENT_ANSWERS.join(', ')}`);
  }
  const onFlowError = options.onFlowError;
  if (onFlowError !== undefined && !INVALID_EVENT_ANSWERS.includes(onFlowError)) {
    throw new ConfigError('onFlowError', `must be one of ${INVALID_EVENT_ANSWERS.join(', ')}`);
  }
  const onRetryableError = options.onRetryableError ?? 'rethrow';
  if (!INVALID_EVENT_ANSWERS.includes(onRetryableError)) {
    throw new ConfigError('onRetryableError', `must be one of ${INVALID_EVENT_ANSWERS.join(', ')}`);
  }
  const holdRecord = options.holdRecord
    ? { bucket: options.holdRecord.bucket, keyPrefix: options.holdRecord.keyPrefix ?? 'held/' }
    : undefined;
  if (holdRecord) {
    const holdProblem = bucketNameProblem(holdRecord.bucket);
    if (holdProblem) throw new ConfigError('holdRecord.bucket', `must be an S3 bucket name: ${holdProblem}`);
    if (!PREFIX.test(String(holdRecord.keyPrefix)))
      throw new ConfigError('holdRecord.keyPrefix', "must be an S3 key prefix (letters, digits, !-_.*'()/)");
  }
  const invocationType = options.invocationType ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event') {
    throw new ConfigError('invocationType', "must be 'RequestResponse' or 'Event'");
  }
  const headerSource = options.headerSource ?? 'event';
  if (headerSource !== 'event' && headerSource !== 'stored') {
    throw new ConfigError('headerSource', "must be 'event' or 'stored'");
  }
  const message = options.message ?? {};
  return {
    rules: options.rules as readonly Rule[],
    stored: options.stored,
    ...(options.bounceSender ? { bounceSender: options.bounceSender } : {}),
    ...(options.bounceSenderArn ? { bounceSenderArn: options.bounceSenderArn } : {}),
    policy,
    notes: options.notes ?? [],
    organizationDomains: options.organizationDomains ?? [],
    onError,
    onInvalidEvent,
    onRetryableError,
    ...(onFlowError !== undefined ? { onFlowError } : {}),
    headerSource,
    ...(holdRecord ? { holdRecord } : {}),
    fallback,
    deadline: options.deadline ?? {},
    synchronous: invocationType === 'RequestResponse',
    logger: options.logger ?? new Logger({ serviceName: 'wmflow' }),
    clients: options.clients ?? {},
    message: { ...message, limits: { maxMessageBytes: SES_LIMITS.maxMessageBytes, ...message.limits } },
  };
}

/** What the flow cannot do on SES, logged once at start-up so nothing is dropped silently. */
export function startupReport(s: SesSettings): Record<string, unknown> {
  return {
    engine: 'ses',
    rules: s.rules.map((r) => r.name),
    policy: s.policy,
    limitations: [
      'edits (headers, subject, disclaimers, attachment removal) are not applied: a receipt rule cannot rewrite the message',
      `MOVE_TO_JUNK follows the junk policy "${s.policy.junk}"`,
      `an event that cannot be read is answered ${s.onInvalidEvent === 'rethrow' ? 'by failing the invocation' : s.onInvalidEvent}`,
      s.holdRecord
        ? `why a message is held (STOP_RULE) is recorded under s3://${s.holdRecord.bucket}/${s.holdRecord.keyPrefix}<messageId>.json`
        : 'why a message is held (STOP_RULE) is logged only (no holdRecord)',
      'BYPASS_SPAM_CHECK delivers normally: SES scans before the Lambda runs',
      `recipients with different outcomes follow the "${s.policy.mixed}" policy (one disposition per receipt rule)`,
      'added recipients (Bcc copies) are not delivered: a receipt rule delivers to its own recipients only',
      ...(s.bounceSender ? [] : ['no bounceSender: BOUNCE verdicts stop the message but send no bounce']),
      ...s.notes,
    ],
  };
}
