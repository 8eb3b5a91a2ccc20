/**
 * Base class of every error wmflow throws on purpose. Catch this to tell wmflow's
 * typed failures from unexpected ones.
 *
 * @example
 * ```ts
 * try { parseFlowEvent(input); } catch (e) { if (e instanceof WmflowError) console.log(e.name); }
 * ```
 */
export class WmflowError extends Error {
  override name = 'WmflowError';
}

/**
 * A Lambda event that is not a well-formed WorkMail email-flow event.
 * `path` names the offending field (e.g. `envelope.recipients[2].address`).
 *
 * @example
 * ```ts
 * new EventValidationError('envelope.mailFrom', 'an object', undefined).message;
 * // "invalid flow event at envelope.mailFrom: expected an object, got undefined"
 * ```
 */
export class EventValidationError extends WmflowError {
  override name = 'EventValidationError';
  constructor(
    /** Dotted path of the bad field, `$` for the event itself. */
    readonly path: string,
    /** What was expected there, in words. */
    readonly expected: string,
    actual: unknown,
  ) {
    super(`invalid flow event at ${path}: expected ${expected}, got ${describe(actual)}`);
  }
}

/**
 * A verdict that cannot be applied: illegal for the message's direction, a bad
 * bounce message, or a recipient outside the organization.
 *
 * @example
 * ```ts
 * new VerdictError('MOVE_TO_JUNK is not allowed for OUTBOUND mail');
 * ```
 */
export class VerdictError extends WmflowError {
  override name = 'VerdictError';
}

/**
 * The verdicts cannot be expressed as a response WorkMail would accept
 * (over 256 KB, or over 500 recipients for outbound mail).
 *
 * @example
 * ```ts
 * new ResponseLimitError('response is 300000 bytes, WorkMail accepts at most 262144');
 * ```
 */
export class ResponseLimitError extends WmflowError {
  override name = 'ResponseLimitError';
}

/**
 * Invalid configuration given to a wmflow factory (a rule, `flow()`, a prebuilt function).
 * `field` names the setting.
 *
 * @example
 * ```ts
 * new ConfigError('organizationDomains', 'must be a list of domain names');
 * ```
 */
export class ConfigError extends WmflowError {
  override name = 'ConfigError';
  constructor(
    /** The configuration field at fault. */
    readonly field: string,
    detail: string,
  ) {
    super(`invalid configuration ${field}: ${detail}`);
  }
}

/**
 * A rule threw; carries the rule's name and the original error as `cause`.
 *
 * @example
 * ```ts
 * new RuleError('block-wire-fraud', new Error('boom')).message; // "rule block-wire-fraud failed: boom"
 * ```
 */
export class RuleError extends WmflowError {
  override name = 'RuleError';
  constructor(
    /** Name of the rule that failed. */
    readonly rule: string,
    cause: unknown,
    /** True when the rule's policy is `rethrow`: the invocation fails whatever the flow's own policy. */
    readonly rethrow = false,
  ) {
    super(`rule ${rule} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The deadline came while a rule whose policy is `rethrow` (a journal, by default) was still running, or while
 * PutRawMessageContent of an attachment removal was on its way (fault round 74): the invocation fails so that
 * WorkMail (or Lambda, for asynchronous rules) retries it, instead of answering without the rule's work done.
 *
 * @example
 * ```ts
 * new DeadlineError('journal-to-s3').message; // "deadline reached while rule journal-to-s3 was running"
 * new DeadlineError('commit-update', 'deadline reached while PutRawMessageContent was on its way').rule; // "commit-update"
 * ```
 */
export class DeadlineError extends WmflowError {
  override name = 'DeadlineError';
  constructor(
    /** The rule still running (or the step: `commit-update`, PutRawMessageContent on its way). */
    readonly rule: string,
    /** What was cut, when it is not a rule's run. Default `deadline reached while rule <rule> was running`. */
    message?: string,
  ) {
    super(message ?? `deadline reached while rule ${rule} was running`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
