import { RuleError } from '../errors.js';
import { isTransient } from '../transient.js';
import { verdictKey } from '../verdicts.js';
import type { FiredRule, FlowState } from './state.js';
import type { ErrorPolicy, Rule } from './types.js';
import { RuleView } from './view.js';

/** A rule's failure as logged. */
export interface RuleFailure {
  rule: string;
  error: string;
  policy: string;
}

/**
 * Runs the rules in order. Each rule is atomic: if it throws, what it settled
 * is rolled back before its error policy applies. Rules with no open recipient
 * left are skipped unless they are side-effect or overriding rules.
 */
export async function runChain(
  rules: readonly Rule[],
  state: FlowState,
  defaultPolicy: ErrorPolicy,
  failures: RuleFailure[],
  /** False hands transient failures to the rule's policy too (`FlowOptions.transientErrors: 'rule-policy'`). */
  transientFails = true,
  /** Called before the last rule runs: the engine knows then whether later reads of the message can come. */
  beforeLastRule?: () => void,
): Promise<void> {
  for (const [index, current] of rules.entries()) {
    if (index === rules.length - 1) beforeLastRule?.();
    if (state.isFrozen) return;
    state.reached = index;
    if (!current.sideEffect && !current.overrides && state.openCount() === 0) continue;
    const record: FiredRule = { rule: current.name, settled: {}, notes: [], audit: false };
    const before = state.snapshot();
    state.checkpoint = before;
    state.running = current;
    try {
      await current.run(new RuleView(state, record));
    } catch (cause) {
      if (state.isFrozen) return;
      state.restore(before);
      record.settled = {};
      // A transient failure (throttling, 5xx, reset, a message that arrived short) is no verdict of the
      // rule's: the invocation fails so WorkMail retries it, whatever the rule's policy.
      const transient = transientFails && isTransient(cause);
      const policy = transient ? 'rethrow' : (current.onError ?? defaultPolicy);
      const error = new RuleError(current.name, cause, policy === 'rethrow');
      const described = transient ? 'rethrow (transient)' : describePolicy(policy);
      failures.push({ rule: current.name, error: error.message, policy: described });
      if (policy === 'rethrow') throw error;
      if (policy !== 'fail-open') {
        const view = new RuleView(state, record, failClosedScope(current, state));
        view.settle(policy.failClosed);
      }
    }
    if (state.isFrozen) return;
    state.running = undefined;
    if (Object.keys(record.settled).length > 0 || record.notes.length > 0) state.fired.push(record);
  }
  state.reached = rules.length;
  state.checkpoint = state.snapshot();
}

// The recipients a rule's fail-closed verdict settles: its scope, or, on a truncated event, every listed one: the
// scope's recipients may be among those the event leaves out, who get the most protective verdict of the listed ones
// (attacker round 107: a pilot group's protection failing on such an event refused nobody).
function failClosedScope(rule: Rule, state: FlowState): ((address: string) => boolean) | undefined {
  return state.init.envelope.truncated ? undefined : rule.scope;
}

/**
 * At the deadline, the protections that had not decided (the rule running and those after it whose error
 * policy fails closed) settle their open recipients with their blocking verdicts, as if they had thrown: not
 * knowing is not allowing. Cosmetic (fail-open) rules add nothing. Call it from {@link FlowState.freeze}.
 */
function settleUndecided(rules: readonly Rule[], state: FlowState, defaultPolicy: ErrorPolicy): void {
  for (const current of rules.slice(state.reached)) {
    const policy = current.onError ?? defaultPolicy;
    if (typeof policy === 'string') continue;
    // An audited protection says what it would have settled, as when it runs (it never fails closed for real).
    const record: FiredRule = { rule: current.name, settled: {}, notes: [], audit: current.audit === true };
    new RuleView(state, record, failClosedScope(current, state)).settle(policy.failClosed);
    if (Object.keys(record.settled).length === 0) continue;
    record.notes.push('the deadline came before this protection decided: not knowing is not allowing');
    state.fired.push(record);
  }
}

/**
 * At the deadline, the first rule that must not be lost (policy `rethrow`: a journal, a protection told to be
 * retried) and had not finished: the one running, or one after it that would have run (a side-effect or
 * overriding rule, or one with an open recipient in its scope). The invocation then fails, so WorkMail retries
 * it, rather than answer without it (fault round 41). Call it before {@link settleUndecided} settles the open.
 */
function unfinishedRetriedRule(
  rules: readonly Rule[],
  state: FlowState,
  defaultPolicy: ErrorPolicy,
): Rule | undefined {
  const open = state.recipients.filter((address) => !state.verdictOf(address));
  return rules
    .slice(state.reached)
    .find(
      (rule) =>
        (rule.onError ?? defaultPolicy) === 'rethrow' &&
        (rule === state.running ||
          rule.sideEffect ||
          rule.overrides ||
          open.some((address) => !rule.scope || rule.scope(address))),
    );
}

/**
 * At the deadline: freezes the state (aborting the invocation's requests and rolling back the rule in flight),
 * then, judged after that rollback, finds the rule that must be retried ({@link unfinishedRetriedRule}) and
 * settles the protections that had not decided ({@link settleUndecided}). Returns the rule to retry, if any.
 */
export function freezeAtDeadline(
  rules: readonly Rule[],
  state: FlowState,
  defaultPolicy: ErrorPolicy,
): Rule | undefined {
  let retried: Rule | undefined;
  state.freeze(() => {
    // What the rule in flight settled and never finished is open again here (fault round 42).
    retried = unfinishedRetriedRule(rules, state, defaultPolicy);
    settleUndecided(rules, state, defaultPolicy);
  });
  return retried;
}

function describePolicy(policy: ErrorPolicy): string {
  return typeof policy === 'string' ? policy : `fail-closed ${verdictKey(policy.failClosed)}`;
}
