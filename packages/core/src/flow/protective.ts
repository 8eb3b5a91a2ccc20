import type { Direction } from './direction.js';
import type { Condition } from './types.js';

const PROTECTIVE = new WeakSet<object>();

/**
 * Marks a condition as a protection's test: when it throws, or the deadline comes before it answers, a rule
 * `when(condition, inner)` settles its open recipients with the verdict `inner` settles (`inner.settles`), as if
 * the condition had matched: not knowing is not allowing. `containsSensitiveData` and `hasBlockedAttachment` are
 * marked; `all` and `any` over a marked condition are marked too, `not` of one is not.
 *
 * @example
 * ```ts
 * const hasMacros = protective<'INBOUND'>(async (ctx) => (await ctx.message.parts()).parts.some(isMacroFile));
 * export const rules = [when(hasMacros, moveToJunk())]; // a parse error junks the message
 * ```
 */
export function protective<D extends Direction>(condition: Condition<D>): Condition<D> {
  // A new function: the one given stays unmarked wherever else it is used.
  const marked: Condition<D> = (ctx) => condition(ctx);
  PROTECTIVE.add(marked);
  return marked;
}

/** Whether {@link protective} marked the condition. */
export function isProtective(condition: Condition<never>): boolean {
  return PROTECTIVE.has(condition);
}
