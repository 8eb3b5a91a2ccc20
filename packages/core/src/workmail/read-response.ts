import { normalizeAddress } from '../address.js';
import type { Verdict } from '../verdicts.js';
import type { Direction } from './event.js';
import { RESPONSE_LIMITS } from './response.js';

/** What WorkMail would do with a response, per recipient, and what it would object to. */
export interface ResponseReading {
  /** Verdict per recipient: envelope recipients plus any recipient a response adds. */
  verdicts: Map<string, Verdict>;
  /** Reasons WorkMail would reject the response or fall back; empty when valid. */
  problems: string[];
}

const INBOUND_TYPES = new Set(['DEFAULT', 'BOUNCE', 'DROP', 'MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK']);
const OUTBOUND_TYPES = new Set(['DEFAULT', 'BOUNCE', 'DROP']);

/**
 * Reads a Lambda's response the way WorkMail applies it: named recipients get
 * their action, `allRecipients` covers every envelope recipient not named,
 * actions past the tenth and recipients nothing covers get `fallback`.
 * Structural faults (bad types, missing bounce message, direction-illegal
 * actions, oversize) are listed in `problems`; when the response as a whole is
 * invalid WorkMail applies `fallback` to everyone, and so does this reading.
 *
 * @example
 * ```ts
 * const { verdicts, problems } = readResponse(response, event.envelope.recipients.map((r) => r.address), 'INBOUND');
 * ```
 */
export function readResponse(
  response: unknown,
  envelopeRecipients: readonly string[],
  direction: Direction,
  fallback: Verdict = { type: 'DEFAULT' },
): ResponseReading {
  const problems: string[] = [];
  const verdicts = new Map<string, Verdict>();
  const actions = actionsOf(response, problems);
  const legal = direction === 'INBOUND' ? INBOUND_TYPES : OUTBOUND_TYPES;
  let all: Verdict | undefined;
  const named = new Set<string>();
  // WorkMail's matching of spellings is undocumented: an exact name wins, else a case-insensitive one.
  const byMailbox = new Map<string, Verdict>();

  actions.forEach((raw, i) => {
    const where = `actions[${i}]`;
    const verdict = verdictOf(raw, legal, where, problems);
    if (!verdict) return;
    const a = raw as { recipients?: unknown; allRecipients?: unknown };
    const effective = i < RESPONSE_LIMITS.maxActions ? verdict : fallback;
    if (a.allRecipients === true) {
      if (all) problems.push(`${where}: a second allRecipients action`);
      else all = effective;
    }
    if (a.recipients !== undefined) {
      if (!Array.isArray(a.recipients) || a.recipients.some((r) => typeof r !== 'string')) {
        problems.push(`${where}.recipients: expected an array of addresses`);
        return;
      }
      for (const r of a.recipients as string[]) {
        if (named.has(r)) problems.push(`${where}: ${r} is named by more than one action`);
        named.add(r);
        byMailbox.set(normalizeAddress(r), effective);
        verdicts.set(r, effective);
      }
    } else if (a.allRecipients !== true) {
      problems.push(`${where}: names no recipients and is not allRecipients`);
    }
  });
  const invalid = problems.length > 0;
  if (actions.length > RESPONSE_LIMITS.maxActions) {
    problems.push(
      `${actions.length} actions; WorkMail applies the fallback past the first ${RESPONSE_LIMITS.maxActions}`,
    );
  }
  const tooLarge = Buffer.byteLength(JSON.stringify(response ?? null)) > RESPONSE_LIMITS.maxBytes;
  if (tooLarge) problems.push(`response is over ${RESPONSE_LIMITS.maxBytes} bytes`);
  const tooMany = direction === 'OUTBOUND' && named.size > RESPONSE_LIMITS.maxOutboundRecipients;
  if (tooMany)
    problems.push(`${named.size} outbound recipients; the limit is ${RESPONSE_LIMITS.maxOutboundRecipients}`);
  for (const r of envelopeRecipients) {
    if (!named.has(r)) verdicts.set(r, byMailbox.get(normalizeAddress(r)) ?? all ?? fallback);
  }
  if (invalid || tooLarge || tooMany) {
    for (const r of verdicts.keys()) verdicts.set(r, fallback);
  }
  return { verdicts, problems };
}

function actionsOf(response: unknown, problems: string[]): unknown[] {
  const actions = (response as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(actions)) {
    problems.push('response.actions: expected an array');
    return [];
  }
  return actions;
}

function verdictOf(raw: unknown, legal: Set<string>, where: string, problems: string[]): Verdict | undefined {
  const action = (raw as { action?: { type?: unknown; parameters?: { bounceMessage?: unknown } } } | null)
    ?.action;
  const type = action?.type;
  if (typeof type !== 'string' || !legal.has(type)) {
    problems.push(`${where}.action.type: ${JSON.stringify(type)} is not allowed here`);
    return undefined;
  }
  if (type === 'BOUNCE') {
    const message = action?.parameters?.bounceMessage;
    if (typeof message !== 'string' || message === '') {
      problems.push(`${where}.action.parameters.bounceMessage: required for BOUNCE`);
      return undefined;
    }
    return { type: 'BOUNCE', message };
  }
  return { type } as Verdict;
}
