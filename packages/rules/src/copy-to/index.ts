import { ConfigError, checkOptionNames, type Rule } from '@wmflow/core';
import { type ListInput, ruleName, stringList } from '../internal/config.js';

/** Options of {@link copyTo}. */
export interface CopyToOptions {
  /** Mailboxes that get a copy (Bcc). Inbound mail can be copied only to the organization's domains. */
  addresses: ListInput;
  /** Copy even when every recipient is settled (e.g. bounced or dropped). Default false. */
  evenWhenSettled?: boolean;
  name?: string;
}

const ADDRESS = /^[^@\s<>",;]+@[^@\s<>",;]+\.[^@\s<>",;]+$/;

/**
 * Adds recipients not in the envelope, delivered as Bcc: a supervisor copy, a legal hold mailbox.
 * Only synchronous flows can add recipients (the response carries them).
 *
 * @example
 * ```ts
 * when(senderMatches(['trader@corp.example']), copyTo({ addresses: ['compliance@corp.example'] }))
 * ```
 */
export function copyTo(options: CopyToOptions): Rule {
  checkOptionNames('copyTo', options, { addresses: true, evenWhenSettled: true, name: true });
  const addresses = stringList('addresses', options.addresses);
  addresses.forEach((a, i) => {
    if (!ADDRESS.test(a)) throw new ConfigError(`addresses[${i}]`, `not an address: ${JSON.stringify(a)}`);
  });
  return {
    name: ruleName('name', options.name, 'copy-to'),
    sideEffect: options.evenWhenSettled ?? false,
    run(ctx) {
      for (const address of addresses) ctx.addRecipient(address);
    },
  };
}
