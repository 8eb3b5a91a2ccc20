import type { VerdictType } from '../verdicts.js';

/** One WorkMail action: what happens to some recipients, or to all not named elsewhere. */
export interface FlowAction {
  action: { type: VerdictType; parameters?: { bounceMessage: string } };
  recipients?: string[];
  allRecipients?: boolean;
}

/**
 * The synchronous response WorkMail expects from a "Run Lambda" rule.
 *
 * @example
 * ```ts
 * const response: FlowResponse = { actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] };
 * ```
 */
export interface FlowResponse {
  actions: FlowAction[];
}

/**
 * WorkMail's limits on a synchronous response.
 *
 * @example
 * ```ts
 * RESPONSE_LIMITS.maxActions; // 10
 * RESPONSE_LIMITS.timeoutMs; // 15000
 * ```
 */
export const RESPONSE_LIMITS = {
  /** Actions beyond this get the rule's fallback action. */
  maxActions: 10,
  /** Response body size in bytes. */
  maxBytes: 256 * 1024,
  /** Recipients named in an outbound response. */
  maxOutboundRecipients: 500,
  /** Time WorkMail waits for a synchronous answer, in milliseconds. */
  timeoutMs: 15_000,
} as const;
