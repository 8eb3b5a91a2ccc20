import type { HeaderCollector } from './header-fields.js';
import type { ProblemList } from './problems.js';
import { isImmutableHeader, UPDATE_HEADER_RULES } from './update-rules.js';

/**
 * Compares the root header fields of an update with those of the original:
 * required fields present, unique fields not repeated (more than the original
 * already did), immutable fields kept in number, order and unfolded value.
 *
 * @example
 * ```ts
 * checkHeaderRules(originalWalker.root, updatedWalker.root, problems);
 * ```
 */
export function checkHeaderRules(
  before: HeaderCollector,
  after: HeaderCollector,
  problems: ProblemList,
): void {
  for (const name of UPDATE_HEADER_RULES.required) {
    if (after.values(name).length === 0) {
      problems.add({
        code: 'missing-required-header',
        reason: `required header ${display(name)} is missing`,
        header: name,
      });
    }
  }
  for (const name of UPDATE_HEADER_RULES.unique) {
    const count = after.values(name).length;
    if (count > 1 && count > before.values(name).length) {
      problems.add({
        code: 'duplicate-unique-header',
        reason: `header ${display(name)} appears ${count} times but must be unique`,
        header: name,
      });
    }
  }
  const names = new Set(
    [...before.fields, ...after.fields].map((field) => field.name).filter(isImmutableHeader),
  );
  for (const name of names) {
    const was = before.values(name).map(normalize);
    const is = after.values(name).map(normalize);
    // A required field the original lacked may be added (the repair of a missing Date or From).
    const required = (UPDATE_HEADER_RULES.required as readonly string[]).includes(name);
    if (required && was.length === 0 && is.length === 1) continue;
    const reason = describeChange(name, was, is);
    if (reason) problems.add({ code: 'immutable-header-changed', reason, header: name });
  }
}

function describeChange(field: string, was: string[], is: string[]): string | undefined {
  if (was.length === is.length && was.every((value, index) => value === is[index])) return undefined;
  // Spelled out only for a change: most updates keep every immutable field.
  const name = display(field);
  if (is.length === 0) return `immutable header ${name} was removed`;
  if (was.length === 0) return `immutable header ${name} was added`;
  if (was.length !== is.length)
    return `immutable header ${name} appears ${is.length} times instead of ${was.length}`;
  return `immutable header ${name} was changed`;
}

// Unfolded value with the folding whitespace collapsed: refolding is not a change.
function normalize(value: string): string {
  return value.replace(/[ \t]+/g, ' ').trim();
}

const SPELLING: Record<string, string> = { 'message-id': 'Message-ID', 'dkim-signature': 'DKIM-Signature' };

function display(name: string): string {
  const known = SPELLING[name];
  if (known) return known;
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
