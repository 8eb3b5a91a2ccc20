import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigError } from '../errors.js';
import type { DeadlineOptions } from '../flow/deadline.js';
import type { ErrorPolicy, FlowLogger, Rule } from '../flow/types.js';
import type { LazyMessageOptions } from '../message/message.js';
import { checkOptionNames } from '../option-names.js';
import { bucketNameProblem } from '../s3-names.js';
import {
  assertVerdictAllowed,
  isVerdictAllowed,
  type Verdict,
  type VerdictFor,
  Verdicts,
} from '../verdicts.js';
import type { FlowClients } from './clients.js';
import type { UpdateOptions } from './commit-update.js';
import type { Direction } from './event.js';
import { isValidKeyPrefix } from './s3-names.js';

/**
 * Options of `flow()`.
 *
 * @example
 * ```ts
 * const options: FlowOptions<'INBOUND'> = { direction: 'INBOUND', rules: [junkNewsletters] };
 * ```
 */
export interface FlowOptions<D extends Direction = Direction> {
  /** The chain, run in order. */
  rules: readonly Rule<NoInfer<D>>[];
  /** The direction the WorkMail rule is set up for; events of the other direction follow `onError`. */
  direction?: D;
  /** False for an asynchronous WorkMail rule: the response is ignored and edits are not made. Default true. */
  synchronous?: boolean;
  /** The organization's own domains (internal/external tests, Bcc copies of inbound mail). */
  organizationDomains?: readonly string[];
  /** Policy for a rule that throws without its own policy, and for an invocation that fails as a whole. Default `'fail-open'`. */
  onError?: ErrorPolicy<D>;
  /**
   * Policy for an event that fails validation (no envelope wmflow can trust). Default: `onError`.
   * Protective flows choose `'rethrow'`: WorkMail retries, then applies the rule's fallback action.
   */
  onInvalidEvent?: ErrorPolicy<D>;
  /**
   * Treat a truncated event that lists no recipient as invalid (`onInvalidEvent`): no rule can settle
   * anyone, so a protective flow could only let it through. Default false.
   */
  requireRecipients?: boolean;
  /** Verdict for recipients still open when the deadline guard answers. Default DEFAULT. */
  fallback?: VerdictFor<D>;
  deadline?: DeadlineOptions;
  /** Where the one structured line per invocation goes. Default: a Powertools Logger, service `wmflow`. */
  logger?: FlowLogger;
  /** AWS clients to use instead of the shared ones created from the environment. */
  clients?: Partial<FlowClients>;
  /** Limits and spooling of message access. */
  message?: LazyMessageOptions;
  /** Where edited messages go before PutRawMessageContent; required when rules edit. */
  updates?: UpdateOptions;
  /**
   * Transient failures (throttling, 5xx, resets, timeouts after the SDK's retries; a message that
   * arrived short or changed): `'fail-invocation'` (default) fails the invocation so WorkMail retries it
   * and then applies the rule's fallback action; `'rule-policy'` hands them to the rule's error policy
   * like any other failure (a fail-open protection then lets the message through unchecked).
   */
  transientErrors?: 'fail-invocation' | 'rule-policy';
}

/** FlowOptions checked once, at construction, with defaults merged. */
export interface Settings {
  rules: readonly Rule[];
  direction?: Direction;
  synchronous: boolean;
  organizationDomains: readonly string[];
  onError: ErrorPolicy;
  onInvalidEvent: ErrorPolicy;
  requireRecipients: boolean;
  fallback: Verdict;
  transientErrors: 'fail-invocation' | 'rule-policy';
  deadline: DeadlineOptions;
  logger: FlowLogger;
  clients: Partial<FlowClients>;
  message: LazyMessageOptions;
  updates?: UpdateOptions;
}

const DOMAIN = /^[^\s@]+\.[^\s@]+$/;

// Without a static direction the verdict is checked as inbound (every verdict); an outbound event then gets
// DEFAULT in place of an inbound-only verdict (see `legalFor`).
function checkVerdict(field: string, verdict: Verdict, direction: Direction | undefined): void {
  try {
    assertVerdictAllowed(verdict, direction ?? 'INBOUND');
  } catch (error) {
    throw new ConfigError(field, (error as Error).message);
  }
}

/** The verdict if legal for the event's direction, else DEFAULT (a direction-neutral flow's inbound-only verdict). */
export function legalFor(verdict: Verdict, direction: Direction): Verdict {
  return isVerdictAllowed(verdict, direction) ? verdict : Verdicts.DEFAULT;
}

function checkPolicy(field: string, value: unknown, direction: Direction | undefined): ErrorPolicy {
  const policy = value as ErrorPolicy;
  if (policy !== 'fail-open' && policy !== 'rethrow') {
    if (typeof policy !== 'object' || policy === null || !('failClosed' in policy)) {
      throw new ConfigError(field, "must be 'fail-open', 'rethrow' or { failClosed: verdict }");
    }
    checkVerdict(`${field}.failClosed`, policy.failClosed, direction);
  }
  return policy;
}

/** Validates options, throwing {@link ConfigError} naming the field. */
export function checkOptions<D extends Direction>(options: FlowOptions<D>): Settings {
  checkOptionNames('flow', options, {
    rules: true,
    direction: true,
    synchronous: true,
    organizationDomains: true,
    onError: true,
    onInvalidEvent: true,
    requireRecipients: true,
    fallback: true,
    deadline: true,
    logger: true,
    clients: true,
    message: true,
    updates: true,
    transientErrors: true,
  });
  if (!Array.isArray(options.rules)) throw new ConfigError('rules', 'must be an array of rules');
  options.rules.forEach((r, i) => {
    if (typeof r?.run !== 'function' || typeof r.name !== 'string') {
      throw new ConfigError(`rules[${i}]`, 'must be a rule ({ name, run })');
    }
  });
  const domains = options.organizationDomains ?? [];
  if (!Array.isArray(domains) || domains.some((d) => typeof d !== 'string' || !DOMAIN.test(d))) {
    throw new ConfigError('organizationDomains', 'must be a list of domain names');
  }
  if (
    options.direction !== undefined &&
    options.direction !== 'INBOUND' &&
    options.direction !== 'OUTBOUND'
  ) {
    throw new ConfigError('direction', 'must be INBOUND or OUTBOUND');
  }
  const fallback = (options.fallback ?? Verdicts.DEFAULT) as Verdict;
  checkVerdict('fallback', fallback, options.direction);
  const onError = checkPolicy('onError', options.onError ?? 'fail-open', options.direction);
  const onInvalidEvent = checkPolicy('onInvalidEvent', options.onInvalidEvent ?? onError, options.direction);
  const updates = options.updates;
  const bucketProblem = updates ? bucketNameProblem(updates.bucket) : undefined;
  if (bucketProblem) throw new ConfigError('updates.bucket', `must be an S3 bucket name: ${bucketProblem}`);
  if (updates?.keyPrefix !== undefined && !isValidKeyPrefix(updates.keyPrefix)) {
    throw new ConfigError('updates.keyPrefix', 'letters, digits, "-" and "/" only (no dots or underscores)');
  }
  return {
    rules: options.rules as readonly Rule[],
    direction: options.direction,
    synchronous: options.synchronous ?? true,
    organizationDomains: domains,
    onError,
    onInvalidEvent,
    requireRecipients: options.requireRecipients === true,
    fallback,
    transientErrors: transientErrors(options.transientErrors),
    deadline: options.deadline ?? {},
    logger: options.logger ?? new Logger({ serviceName: 'wmflow' }),
    clients: options.clients ?? {},
    message: options.message ?? {},
    updates,
  };
}

function transientErrors(value: unknown): Settings['transientErrors'] {
  if (value === undefined) return 'fail-invocation';
  if (value === 'fail-invocation' || value === 'rule-policy') return value;
  throw new ConfigError('transientErrors', "must be 'fail-invocation' or 'rule-policy'");
}
