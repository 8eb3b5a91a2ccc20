import { recipientMatchesAny } from '../address.js';
import type { Direction } from './direction.js';
import { isProtective, protective } from './protective.js';
import type { Condition, ErrorPolicy, Rule, RuleContext } from './types.js';
import { asView } from './view.js';

/** Options of {@link rule}. */
export interface RuleOptions {
  /** Run even when every recipient is settled (journaling, auditing). */
  sideEffect?: boolean;
  /** The rule may re-decide settled recipients with `ctx.override`, so it runs even when none is open. */
  overrides?: boolean;
  /** This rule's error policy, overriding the flow's. */
  onError?: ErrorPolicy;
}

/**
 * Defines a rule from a name and a function. Give `D` to type the verdicts by direction. What the function
 * returns is awaited, then ignored, so a one-line arrow may return what it calls (`ctx.settle` returns the
 * recipients it settled).
 *
 * @example
 * ```ts
 * const junkNewsletters = rule<'INBOUND'>('junk-newsletters', (ctx) => {
 *   if (/newsletter/i.test(ctx.subject)) ctx.settle(Verdicts.MOVE_TO_JUNK);
 * });
 * ```
 */
export function rule<D extends Direction = Direction>(
  name: string,
  run: (ctx: RuleContext<D>) => unknown,
  options: RuleOptions = {},
): Rule<D> {
  // Every caller awaits `run` and ignores its value.
  return { name, run: run as Rule<D>['run'], ...options };
}

/**
 * Runs `inner` only when `condition` holds.
 *
 * @example
 * ```ts
 * when((ctx) => ctx.envelope.mailFrom.endsWith('@partner.example'), bypassSpam)
 * ```
 */
export function when<D extends Direction>(condition: Condition<D>, inner: Rule<D>): Rule<D> {
  // A protection's test that throws or is cut by the deadline settles what it guards (see `protective`).
  const failClosed =
    inner.onError === undefined && inner.settles !== undefined && isProtective(condition)
      ? { onError: { failClosed: inner.settles } }
      : {};
  return {
    ...inner,
    ...failClosed,
    async run(ctx) {
      if (await condition(ctx)) await inner.run(ctx);
    },
  };
}

/**
 * Runs `inner` only when `condition` does not hold.
 *
 * @example
 * ```ts
 * unless(isFromOrganization, tagExternal)
 * ```
 */
export function unless<D extends Direction>(condition: Condition<D>, inner: Rule<D>): Rule<D> {
  return when(not(condition), inner);
}

/**
 * True when every condition holds; stops at the first that does not.
 *
 * @example
 * ```ts
 * when(all(isExternal, subjectHas('invoice')), junk)
 * ```
 */
export function all<D extends Direction>(...conditions: Condition<D>[]): Condition<D> {
  const every: Condition<D> = async (ctx) => {
    for (const c of conditions) if (!(await c(ctx))) return false;
    return true;
  };
  return conditions.some(isProtective) ? protective(every) : every;
}

/**
 * True when any condition holds; stops at the first that does.
 *
 * @example
 * ```ts
 * when(any(fromDomain('a.example'), fromDomain('b.example')), bypassSpam)
 * ```
 */
export function any<D extends Direction>(...conditions: Condition<D>[]): Condition<D> {
  const some: Condition<D> = async (ctx) => {
    for (const c of conditions) if (await c(ctx)) return true;
    return false;
  };
  return conditions.some(isProtective) ? protective(some) : some;
}

/**
 * Negates a condition.
 *
 * @example
 * ```ts
 * when(not(isInternalSender), tagExternal)
 * ```
 */
export function not<D extends Direction>(condition: Condition<D>): Condition<D> {
  return async (ctx) => !(await condition(ctx));
}

/**
 * Scopes a rule to inbound mail; inside it the context is typed inbound.
 *
 * @example
 * ```ts
 * inbound(rule<'INBOUND'>('junk', (ctx) => ctx.settle(Verdicts.MOVE_TO_JUNK)))
 * ```
 */
export function inbound(inner: Rule<'INBOUND'>): Rule<'INBOUND'> {
  return onlyDirection('INBOUND', inner);
}

/**
 * Scopes a rule to outbound mail; inside it the context is typed outbound.
 *
 * @example
 * ```ts
 * outbound(rule<'OUTBOUND'>('hold', (ctx) => ctx.settle(Verdicts.DROP)))
 * ```
 */
export function outbound(inner: Rule<'OUTBOUND'>): Rule<'OUTBOUND'> {
  return onlyDirection('OUTBOUND', inner);
}

function onlyDirection<T extends Direction>(direction: T, inner: Rule<T>): Rule<T> {
  return {
    ...inner,
    async run(ctx) {
      if (ctx.direction === direction) await inner.run(ctx as unknown as RuleContext<T>);
    },
  };
}

/**
 * Pilot group: the rule decides only for recipients matching one of the
 * WorkMail-style patterns (`user@d`, `d`, `*.d`); the others stay as they are. On a truncated event (its recipient
 * list cut, so the group's recipients may be unlisted) it decides for every listed recipient. The patterns may be given
 * as text, as an environment variable holds them (separated by commas, semicolons or white space).
 *
 * @example
 * ```ts
 * forRecipients(['it-team@corp.example', 'pilot.corp.example'], stripMacros)
 * forRecipients(process.env.PILOT_RECIPIENTS ?? '', stripMacros)
 * ```
 */
export function forRecipients<D extends Direction>(
  patterns: readonly string[] | string,
  inner: Rule<D>,
): Rule<D> {
  // Spread, a string would be a pattern per character: read as the list it spells.
  const list =
    typeof patterns === 'string' ? patterns.split(/[,;\s]+/).filter((p) => p !== '') : [...patterns];
  const own = (a: string) => recipientMatchesAny(a, list);
  const innerScope = inner.scope;
  return {
    ...inner,
    // Declared, not discovered at run time: a fail-closed verdict stays in the pilot group even when the
    // rule fails before reaching it (a condition wrapped around it throws).
    scope: innerScope ? (a) => own(a) && innerScope(a) : own,
    async run(ctx) {
      // A truncated event does not list every recipient: the pilot's may be among those left out, who get the most
      // protective verdict of the listed ones. Not knowing is not allowing: the rule decides for every listed
      // recipient then (attacker round 107).
      const view = asView(ctx);
      const scoped = ctx.envelope.truncated ? view : view.narrow(own);
      if (scoped.recipients.length > 0) await inner.run(scoped);
    },
  };
}

/**
 * Audit mode: the rule runs and what it would decide is logged, but nothing is applied.
 *
 * @example
 * ```ts
 * audit(blockExecutableAttachments) // try a policy on live mail before enforcing it
 * ```
 */
export function audit<D extends Direction>(inner: Rule<D>): Rule<D> {
  return {
    ...inner,
    audit: true,
    async run(ctx) {
      await inner.run(asView(ctx).audited());
    },
  };
}

/**
 * Gives a rule its own error policy: `'fail-open'` (treat as PASS),
 * `{ failClosed: verdict }` (settle its open recipients), or `'rethrow'` (fail the invocation).
 *
 * @example
 * ```ts
 * onError({ failClosed: Verdicts.bounce('Policy check unavailable, try later.') }, checkDlp)
 * ```
 */
export function onError<D extends Direction>(policy: ErrorPolicy<D>, inner: Rule<D>): Rule<D> {
  return { ...inner, onError: policy as ErrorPolicy };
}
