/**
 * How a protective function (guard, outbound-policy) treats an event it cannot check: one that fails
 * validation, or a truncated one listing no recipient. It rethrows, so WorkMail retries and then applies
 * the rule's fallback action (docs/deploy.md: which fallback to choose); it never lets the message through
 * unchecked (docs/threat-model.md).
 *
 * @example
 * ```ts
 * flow({ direction: 'INBOUND', rules, ...PROTECTIVE_EVENT_POLICY });
 * ```
 */
export const PROTECTIVE_EVENT_POLICY = { onInvalidEvent: 'rethrow', requireRecipients: true } as const;
