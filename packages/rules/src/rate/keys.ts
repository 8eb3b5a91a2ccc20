import {
  ConfigError,
  domainOf,
  normalizeAddress,
  type RuleContext,
  recipientMatchesAny,
  senderMailbox,
} from '@wmflow/core';
import { type ListInput, patternList } from '../internal/config.js';

/**
 * What a rate limit counts by:
 * - `sender`: the envelope sender (MAIL FROM; `<>` for bounces); outbound, its mailbox (sub-address cut, local
 *   part folded: `alice+1@` and `ａlice@` are `alice@`);
 * - `sender-domain`: its domain;
 * - `recipient`: each recipient separately;
 * - `pair`: each sender→recipient pair (the sender as for `sender`);
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
  const sender = (ctx: RuleContext) =>
    (ctx.direction === 'OUTBOUND'
      ? senderMailbox(ctx.envelope.mailFrom)
      : normalizeAddress(ctx.envelope.mailFrom)) || '<>';
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
      return (ctx) => [{ key: `sender:${sender(ctx)}` }];
    case 'sender-domain':
      return (ctx) => [{ key: `domain:${domainOf(ctx.envelope.mailFrom) || '<>'}` }];
    case 'recipient':
      return (ctx) => ctx.recipients.map((r) => ({ key: `rcpt:${normalizeAddress(r)}`, recipients: [r] }));
    case 'pair':
      return (ctx) =>
        ctx.recipients.map((r) => ({ key: `pair:${sender(ctx)}>${normalizeAddress(r)}`, recipients: [r] }));
    default:
      throw new ConfigError(
        field,
        'must be sender, sender-domain, recipient, pair, { group, recipients } or a function',
      );
  }
}
