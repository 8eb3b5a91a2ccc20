import {
  ConfigError,
  domainOf,
  normalizeAddress,
  type RuleContext,
  reachedMailboxes,
  recipientMatchesAny,
} from '@wmflow/core';
import { type ListInput, patternList } from '../internal/config.js';

/**
 * What a rate limit counts by:
 * - `sender`: the envelope sender (MAIL FROM; `<>` for bounces); outbound, its mailbox (sub-address cut, local
 *   part folded: `alice+1@` and `ａlice@` are `alice@`);
 * - `sender-domain`: its domain;
 * - `recipient`: each recipient separately; inbound, each organization mailbox (`ceo+1@` and `ＣＥＯ@` are `ceo@`);
 * - `pair`: each sender→recipient pair (the sender as for `sender`, the recipient as for `recipient`);
 * - `{ group, recipients }`: one counter for every message to any recipient matching the patterns;
 * - a function of the context returning one key (or several) for the whole message, or undefined to skip it.
 *
 * Inbound envelope senders are claimed by the sending server: a forger can spread its mail over
 * many sender keys. Outbound senders are WorkMail users, authenticated.
 */
export type RateKey =
  | 'sender'
  | 'sender-domain'
  | 'recipient'
  | 'pair'
  | { group: string; recipients: ListInput }
  | ((ctx: RuleContext) => string | readonly string[] | undefined);

/** One counter a message touches, and the recipients its verdict falls on (`undefined`: all in scope). */
export interface CountedKey {
  key: string;
  recipients?: readonly string[];
}

/** Turns a {@link RateKey} option into the function that lists a message's counters. */
export function keySelector(field: string, key: RateKey): (ctx: RuleContext) => CountedKey[] {
  // Outbound, the sender is an organization mailbox: its sub-addresses and folded spellings are that mailbox, one
  // counter (attacker round 87). Inbound, an outside sender's spellings stay apart (mailing lists write one VERP
  // sub-address a message; an inbound envelope sender is claimed anyway).
  // A mailbox's spelling as a route (`alice%corp.example%1@corp.example`, `1!corp.example!alice@`) is counted under the
  // mailbox at each end of the route too: its other hops are free text, a fresh counter each message (attacker round
  // 109). Hence a list of keys: the spelling's own mailbox first.
  const senders = (ctx: RuleContext): string[] =>
    ctx.direction === 'OUTBOUND'
      ? reachedMailboxes(ctx.envelope.mailFrom).map((m) => m || '<>')
      : [normalizeAddress(ctx.envelope.mailFrom) || '<>'];
  // Inbound, a recipient is an organization mailbox, which its own server delivers whatever the sub-address or a
  // folded spelling: one counter (attacker round 103), the ends of a route it names included (round 109). Outbound
  // recipients are outside addresses, whose servers' rules are not known here (round 87): each spelling stays its own.
  const recipients = (ctx: RuleContext, r: string): string[] =>
    ctx.direction === 'INBOUND' ? reachedMailboxes(r) : [normalizeAddress(r)];
  if (typeof key === 'function') {
    return (ctx) => {
      const out = key(ctx);
      const list = typeof out === 'string' ? [out] : (out ?? []);
      return list.map((k) => ({ key: `fn:${k}` }));
    };
  }
  if (typeof key === 'object' && key !== null) {
    if (typeof key.group !== 'string' || !/^[\w.@+-]{1,128}$/.test(key.group)) {
      throw new ConfigError(`${field}.group`, 'must be a name of letters, digits, . _ @ + - (at most 128)');
    }
    const patterns = patternList(`${field}.recipients`, key.recipients);
    return (ctx) => {
      const hit = ctx.recipients.filter((r) => recipientMatchesAny(r, patterns));
      return hit.length > 0 ? [{ key: `group:${key.group}`, recipients: hit }] : [];
    };
  }
  switch (key) {
    case 'sender':
      return (ctx) => senders(ctx).map((s) => ({ key: `sender:${s}` }));
    case 'sender-domain':
      return (ctx) => [{ key: `domain:${domainOf(ctx.envelope.mailFrom) || '<>'}` }];
    case 'recipient':
      return (ctx) => byKey(ctx.recipients, (r) => recipients(ctx, r).map((m) => `rcpt:${m}`));
    case 'pair':
      return (ctx) => {
        const from = senders(ctx);
        return byKey(ctx.recipients, (r) =>
          recipients(ctx, r).flatMap((m) => from.map((s) => `pair:${s}>${m}`)),
        );
      };
    default:
      throw new ConfigError(
        field,
        'must be sender, sender-domain, recipient, pair, { group, recipients } or a function',
      );
  }
}

/**
 * One counter a key, with every recipient it covers: two spellings of one mailbox in a message (`ceo@` and
 * `ceo+x@`) count the message once, and its verdict falls on both. A recipient may have several keys (a routed
 * spelling: its own and its route's ends), each counted, and the verdict of any falls on it.
 */
export function byKey(
  recipients: readonly string[],
  keyOf: (recipient: string) => string | readonly string[],
): CountedKey[] {
  const keys = new Map<string, string[]>();
  for (const r of recipients) {
    const of = keyOf(r);
    for (const k of typeof of === 'string' ? [of] : new Set(of)) {
      const list = keys.get(k);
      if (list) list.push(r);
      else keys.set(k, [r]);
    }
  }
  return [...keys].map(([key, list]) => ({ key, recipients: list }));
}
