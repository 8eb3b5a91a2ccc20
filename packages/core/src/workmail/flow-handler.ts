import { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConfigError, WmflowError } from '../errors.js';
import { type RuleFailure, runChain } from '../flow/chain.js';
import { type DeadlineOptions, deadlineBudget, raceDeadline } from '../flow/deadline.js';
import { type FlowOutcome, publishOutcome } from '../flow/outcome.js';
import { FlowState } from '../flow/state.js';
import type { ErrorPolicy, FlowLogger, Rule } from '../flow/types.js';
import { LazyMessage, type LazyMessageOptions } from '../message/message.js';
import { type Verdict, type VerdictFor, Verdicts, verdictKey } from '../verdicts.js';
import { defaultClients, type FlowClients } from './clients.js';
import { compileResponse } from './compile-response.js';
import type { Direction, FlowEvent } from './event.js';
import { workmailSource } from './message-source.js';
import type { FlowResponse } from './response.js';
import { parseFlowEvent } from './validate-event.js';

/**
 * Options of {@link flow}.
 *
 * @example
 * ```ts
 * const options: FlowOptions<'INBOUND'> = { direction: 'INBOUND', rules: [junkNewsletters] };
 * ```
 */
export interface FlowOptions<D extends Direction = Direction> {
  /** The chain, run in order. */
  rules: readonly Rule<D>[];
  /** The direction the WorkMail rule is set up for; events of the other direction follow `onError`. */
  direction?: D;
  /** False for an asynchronous WorkMail rule: the response is ignored and edits are not made. Default true. */
  synchronous?: boolean;
  /** The organization's own domains (internal/external tests, Bcc copies of inbound mail). */
  organizationDomains?: readonly string[];
  /** Policy for a rule that throws without its own policy, and for an invocation that fails as a whole. Default `'fail-open'`. */
  onError?: ErrorPolicy<D>;
  /** Verdict for recipients still open when the deadline guard answers. Default DEFAULT. */
  fallback?: VerdictFor<D>;
  deadline?: DeadlineOptions;
  /** Where the one structured line per invocation goes. Default: a Powertools Logger, service `wmflow`. */
  logger?: FlowLogger;
  /** AWS clients to use instead of the shared ones created from the environment. */
  clients?: Partial<FlowClients>;
  /** Limits and spooling of message access. */
  message?: LazyMessageOptions;
}

/** The Lambda handler {@link flow} returns: a middy handler, so users may `.use()` more middleware. */
export type FlowHandler = MiddyfiedHandler<unknown, FlowResponse | undefined, Error, Context>;

/**
 * Builds the Lambda handler for a WorkMail "Run Lambda" rule from a chain of rules.
 * Every recipient starts open; rules settle verdicts; open recipients get DEFAULT
 * at the end. The response is the fewest WorkMail actions expressing the verdicts.
 * One structured log line per invocation records what happened.
 *
 * @example
 * ```ts
 * export const handler = flow({
 *   direction: 'INBOUND',
 *   organizationDomains: ['corp.example'],
 *   rules: [rule('no-wire-fraud', (ctx) => {
 *     if (/URGENT WIRE TRANSFER/i.test(ctx.subject)) ctx.settle(Verdicts.DROP);
 *   })],
 * });
 * ```
 */
export function flow<D extends Direction = Direction>(options: FlowOptions<D>): FlowHandler {
  const settings = checkOptions(options);
  const base = async (event: unknown, context: Context): Promise<FlowResponse | undefined> =>
    invoke(settings, event, context);
  return middy<unknown, FlowResponse | undefined, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(base);
}

interface Settings {
  rules: readonly Rule[];
  direction?: Direction;
  synchronous: boolean;
  organizationDomains: readonly string[];
  onError: ErrorPolicy;
  fallback: Verdict;
  deadline: DeadlineOptions;
  logger: FlowLogger;
  clients: Partial<FlowClients>;
  message: LazyMessageOptions;
}

function checkOptions<D extends Direction>(options: FlowOptions<D>): Settings {
  if (!Array.isArray(options.rules)) throw new ConfigError('rules', 'must be an array of rules');
  options.rules.forEach((r, i) => {
    if (typeof r?.run !== 'function' || typeof r.name !== 'string') {
      throw new ConfigError(`rules[${i}]`, 'must be a rule ({ name, run })');
    }
  });
  const domains = options.organizationDomains ?? [];
  if (
    !Array.isArray(domains) ||
    domains.some((d) => typeof d !== 'string' || !/^[^\s@]+\.[^\s@]+$/.test(d))
  ) {
    throw new ConfigError('organizationDomains', 'must be a list of domain names');
  }
  return {
    rules: options.rules as readonly Rule[],
    direction: options.direction,
    synchronous: options.synchronous ?? true,
    organizationDomains: domains,
    onError: (options.onError ?? 'fail-open') as ErrorPolicy,
    fallback: options.fallback ?? Verdicts.DEFAULT,
    deadline: options.deadline ?? {},
    logger: options.logger ?? new Logger({ serviceName: 'wmflow' }),
    clients: options.clients ?? {},
    message: options.message ?? {},
  };
}

async function invoke(s: Settings, input: unknown, context: Context): Promise<FlowResponse | undefined> {
  const started = Date.now();
  const failures: RuleFailure[] = [];
  let event: FlowEvent | undefined;
  let state: FlowState | undefined;
  let deadlineHit = false;
  let message: LazyMessage | undefined;
  try {
    event = parseFlowEvent(input);
    if (s.direction && event.flowDirection !== s.direction) {
      throw new ConfigError(
        'direction',
        `this flow handles ${s.direction} mail but got ${event.flowDirection}`,
      );
    }
    const messageId = event.messageId;
    const client = () => s.clients.messageFlow ?? defaultClients().messageFlow;
    message = new LazyMessage(() => workmailSource(client(), messageId)(), s.message);
    state = new FlowState({
      message,
      direction: event.flowDirection,
      envelope: {
        mailFrom: event.envelope.mailFrom.address,
        recipients: event.envelope.recipients.map((r) => r.address),
        sender: event.sender?.address,
        truncated: event.truncated,
      },
      subject: event.subject,
      messageId: event.messageId,
      invocationId: event.invocationId,
      synchronous: s.synchronous,
      organizationDomains: s.organizationDomains,
      logger: s.logger,
    });
    const chain = runChain(s.rules, state, s.onError, failures);
    const budget = deadlineBudget(s.deadline, s.synchronous, context?.getRemainingTimeInMillis?.());
    if ((await raceDeadline(chain, budget)) === 'deadline') {
      deadlineHit = true;
      state.freeze();
      chain.catch(() => {}); // the answer is given; a late failure changes nothing
    }
    const verdicts = state.final(deadlineHit ? s.fallback : Verdicts.DEFAULT);
    const compiled = compileResponse({
      direction: event.flowDirection,
      envelopeRecipients: event.envelope.recipients.map((r) => r.address),
      verdicts,
    });
    const response = s.synchronous ? compiled.response : undefined;
    report(s, { event, state, failures, deadlineHit, started, warnings: compiled.warnings, response });
    return response;
  } catch (error) {
    const err = error instanceof Error ? error : new WmflowError(String(error));
    const policy = s.onError;
    const fallbackResponse =
      policy === 'rethrow'
        ? undefined
        : { actions: [wholeMessage(policy === 'fail-open' ? Verdicts.DEFAULT : policy.failClosed)] };
    report(s, {
      event,
      state,
      failures,
      deadlineHit,
      started,
      warnings: [],
      response: fallbackResponse,
      error: err,
    });
    if (!fallbackResponse) throw err;
    return s.synchronous ? fallbackResponse : undefined;
  } finally {
    await message?.close().catch(() => {});
  }
}

function wholeMessage(verdict: Verdict): FlowResponse['actions'][number] {
  return verdict.type === 'BOUNCE'
    ? { action: { type: 'BOUNCE', parameters: { bounceMessage: verdict.message } }, allRecipients: true }
    : { action: { type: verdict.type }, allRecipients: true };
}

interface Report {
  event?: FlowEvent;
  state?: FlowState;
  failures: RuleFailure[];
  deadlineHit: boolean;
  started: number;
  warnings: string[];
  response?: FlowResponse;
  error?: Error;
}

function report(s: Settings, r: Report): void {
  const verdicts: Record<string, string> = {};
  if (r.state && !r.error) {
    for (const [address, v] of r.state.final(r.deadlineHit ? s.fallback : Verdicts.DEFAULT))
      verdicts[address] = verdictKey(v);
  }
  const outcome: FlowOutcome = {
    messageId: r.event?.messageId ?? '',
    invocationId: r.event?.invocationId ?? '',
    direction: r.event?.flowDirection ?? '',
    synchronous: s.synchronous,
    truncated: r.event?.truncated ?? false,
    verdicts,
    rulesFired: r.state?.fired.map((f) => f.rule) ?? [],
    fired: r.state?.fired ?? [],
    failures: r.failures,
    deadlineHit: r.deadlineHit,
    warnings: r.warnings,
    durationMs: Date.now() - r.started,
    response: r.response,
    error: r.error ? { name: r.error.name, message: r.error.message } : undefined,
  };
  if (r.error) s.logger.error('wmflow invocation failed', outcome);
  else if (r.deadlineHit || r.failures.length > 0) s.logger.warn('wmflow invocation', outcome);
  else s.logger.info('wmflow invocation', outcome);
  publishOutcome(outcome);
}
