/**
 * Why an export that is not a function is no handler, and what to do (newcomer round 8): a list of rules or a rule
 * goes into `flow({ rules })`, whose result is the handler.
 *
 * @example
 * ```ts
 * notAHandler('rules', [rule('x', () => {})]);
 * // '"rules" is a list, not a function: pass a list of rules to flow({ rules: [...] }) and export …'
 * ```
 */
export function notAHandler(exportName: string, value: unknown): string {
  const exportIt = 'export the handler flow() returns';
  if (Array.isArray(value))
    return `"${exportName}" is a list, not a function: pass a list of rules to flow({ rules: [...] }) and ${exportIt}`;
  if (isRule(value))
    return `"${exportName}" is a rule (${value.name}), not a function: pass it to flow({ rules: [...] }) and ${exportIt}`;
  const kind = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `"${exportName}" is ${kind}, not a function: ${exportIt}`;
}

/** A rule as `rule()` makes it: `{ name, run }`. */
function isRule(value: unknown): value is { name: string } {
  const candidate = value as { name?: unknown; run?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.run === 'function'
  );
}
