/**
 * Direction of a message through the mail engine: received from outside, or sent by a user.
 * Engine-neutral: WorkMail has both; SES receipt rules see INBOUND mail only.
 *
 * @example
 * ```ts
 * const d: Direction = event.flowDirection;
 * ```
 */
export type Direction = 'INBOUND' | 'OUTBOUND';
