import { normalizeAddress } from '../address.js';
import { ResponseLimitError } from '../errors.js';
import { assertVerdictAllowed, type Verdict, verdictKey } from '../verdicts.js';
import type { Direction } from './event.js';
import { type FlowAction, type FlowResponse, RESPONSE_LIMITS } from './response.js';

/** Input of {@link compileResponse}. */
export interface CompileInput {
  direction: Direction;
  /** Recipients listed in the event's envelope, in order. */
  envelopeRecipients: readonly string[];
  /** Final verdict per recipient (envelope and added); an envelope recipient missing here gets DEFAULT. */
  verdicts: ReadonlyMap<string, Verdict>;
  /**
   * The event's recipient list was cut: recipients it does not list get the most protective verdict any
   * listed recipient got (BOUNCE, then DROP, MOVE_TO_JUNK, DEFAULT), not the most common one.
   */
  truncated?: boolean;
}

/** Output of {@link compileResponse}. */
export interface CompiledResponse {
  response: FlowResponse;
  /** What the compiler had to change to stay within WorkMail's limits (merged bounce messages). */
  warnings: string[];
}

interface Group {
  verdict: Verdict;
  envelope: string[];
  added: string[];
}

/**
 * Turns per-recipient verdicts into the fewest WorkMail actions: the verdict most
 * envelope recipients share becomes the `allRecipients` action, every other
 * verdict one action naming its recipients. Added recipients are always named.
 * Stays within {@link RESPONSE_LIMITS}: when distinct bounce messages would need
 * more than 10 actions, the smallest bounce groups share one bounce (reported in
 * `warnings`); a response that would still be too large throws {@link ResponseLimitError}.
 *
 * @example
 * ```ts
 * const { response } = compileResponse({
 *   direction: 'INBOUND',
 *   envelopeRecipients: ['a@corp.example', 'b@corp.example'],
 *   verdicts: new Map([['b@corp.example', Verdicts.MOVE_TO_JUNK]]),
 * });
 * // { actions: [{ action: { type: 'MOVE_TO_JUNK' }, recipients: ['b@corp.example'] },
 * //             { action: { type: 'DEFAULT' }, allRecipients: true }] }
 * ```
 */
export function compileResponse(input: CompileInput): CompiledResponse {
  const groups = groupRecipients(input);
  const warnings: string[] = [];
  const main = input.truncated ? pickProtectiveGroup(groups) : pickMainGroup(groups);
  const explicit = groups.filter((g) => g !== main);
  const needed = explicit.length + 1 + (main && main.added.length > 0 ? 1 : 0);
  if (needed > RESPONSE_LIMITS.maxActions)
    mergeBounces(explicit, needed - RESPONSE_LIMITS.maxActions, warnings);

  const actions: FlowAction[] = explicit.map((g) => toAction(g.verdict, [...g.envelope, ...g.added]));
  if (main && main.added.length > 0) actions.push(toAction(main.verdict, main.added));
  actions.push({ ...toAction(main?.verdict ?? { type: 'DEFAULT' }, []), allRecipients: true });
  const response: FlowResponse = { actions };
  checkBytes(response);
  if (input.direction === 'OUTBOUND' && namedCount(response) > RESPONSE_LIMITS.maxOutboundRecipients) {
    return protectiveWhole(groups, warnings);
  }
  return { response, warnings };
}

// Over WorkMail's 500 named outbound recipients, a per-recipient answer is impossible: everyone gets the most
// protective verdict any recipient has (failing with an error would let WorkMail's fallback decide instead).
function protectiveWhole(groups: Group[], warnings: string[]): CompiledResponse {
  const worst = pickProtectiveGroup(groups)?.verdict ?? { type: 'DEFAULT' };
  warnings.push(
    `the verdicts would name more than ${RESPONSE_LIMITS.maxOutboundRecipients} outbound recipients: every recipient gets ${verdictKey(worst)}`,
  );
  return { response: { actions: [{ ...toAction(worst, []), allRecipients: true }] }, warnings };
}

function groupRecipients(input: CompileInput): Group[] {
  const byKey = new Map<string, Group>();
  const envelope = new Set(input.envelopeRecipients.map(normalizeAddress));
  const seen = new Set<string>();
  // Every spelling the envelope uses is named (WorkMail may match them exactly); added ones once per mailbox.
  const add = (address: string, verdict: Verdict, fromEnvelope: boolean) => {
    const id = fromEnvelope ? address : normalizeAddress(address);
    if (seen.has(id)) return;
    seen.add(id);
    assertVerdictAllowed(verdict, input.direction);
    const key = verdictKey(verdict);
    let group = byKey.get(key);
    if (!group) {
      group = { verdict, envelope: [], added: [] };
      byKey.set(key, group);
    }
    (fromEnvelope ? group.envelope : group.added).push(address);
  };
  const verdictOf = new Map<string, Verdict>();
  for (const [address, verdict] of input.verdicts) verdictOf.set(normalizeAddress(address), verdict);
  for (const r of input.envelopeRecipients)
    add(r, verdictOf.get(normalizeAddress(r)) ?? { type: 'DEFAULT' }, true);
  for (const [address, verdict] of input.verdicts) {
    if (!envelope.has(normalizeAddress(address))) add(address, verdict, false);
  }
  return [...byKey.values()];
}

// Most envelope recipients wins; ties go to DEFAULT, then to the first seen.
function pickMainGroup(groups: Group[]): Group | undefined {
  let best: Group | undefined;
  for (const g of groups) {
    if (g.envelope.length === 0) continue;
    if (
      !best ||
      g.envelope.length > best.envelope.length ||
      (g.envelope.length === best.envelope.length && g.verdict.type === 'DEFAULT')
    ) {
      best = g;
    }
  }
  return best;
}

const PROTECTION: Record<string, number> = { BOUNCE: 4, DROP: 3, MOVE_TO_JUNK: 2, DEFAULT: 1 };

// The group with the most protective verdict (the largest such group on ties).
function pickProtectiveGroup(groups: Group[]): Group | undefined {
  let best: Group | undefined;
  const rank = (g: Group) => PROTECTION[g.verdict.type] ?? 0;
  for (const g of groups) {
    if (g.envelope.length === 0) continue;
    if (!best || rank(g) > rank(best) || (rank(g) === rank(best) && g.envelope.length > best.envelope.length))
      best = g;
  }
  return best;
}

function mergeBounces(explicit: Group[], excess: number, warnings: string[]): void {
  const bounces = explicit
    .filter((g) => g.verdict.type === 'BOUNCE')
    .sort((a, b) => b.envelope.length + b.added.length - (a.envelope.length + a.added.length));
  const victims = bounces.slice(bounces.length - excess - 1);
  const [keeper, ...merged] = victims;
  if (!keeper || merged.length < excess) {
    throw new ResponseLimitError(`verdicts need more than ${RESPONSE_LIMITS.maxActions} actions`);
  }
  for (const g of merged) {
    keeper.envelope.push(...g.envelope);
    keeper.added.push(...g.added);
    explicit.splice(explicit.indexOf(g), 1);
    warnings.push(
      `bounce message for ${[...g.envelope, ...g.added].join(', ')} replaced to fit ${RESPONSE_LIMITS.maxActions} actions`,
    );
  }
}

function toAction(verdict: Verdict, recipients: string[]): FlowAction {
  const action: FlowAction['action'] =
    verdict.type === 'BOUNCE'
      ? { type: 'BOUNCE', parameters: { bounceMessage: verdict.message } }
      : { type: verdict.type };
  return recipients.length > 0 ? { action, recipients } : { action };
}

function checkBytes(response: FlowResponse): void {
  // Most responses are far below the limit by a bound that needs no serialisation: a JSON string takes at
  // most 6 bytes per UTF-16 unit (`\uXXXX`) plus its quotes, and an action's other fields under 128 bytes.
  let bound = 16;
  for (const a of response.actions) {
    bound += 128 + 6 * (a.action.parameters?.bounceMessage.length ?? 0);
    for (const r of a.recipients ?? []) bound += 6 * r.length + 3;
  }
  if (bound <= RESPONSE_LIMITS.maxBytes) return;
  const bytes = Buffer.byteLength(JSON.stringify(response));
  if (bytes > RESPONSE_LIMITS.maxBytes) {
    throw new ResponseLimitError(
      `response is ${bytes} bytes; WorkMail accepts at most ${RESPONSE_LIMITS.maxBytes}`,
    );
  }
}

function namedCount(response: FlowResponse): number {
  return response.actions.reduce((n, a) => n + (a.recipients?.length ?? 0), 0);
}
