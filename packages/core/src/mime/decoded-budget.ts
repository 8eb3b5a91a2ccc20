/**
 * A reader of an archive or a compressed file stopped at a bound of the listing's own (the decoded bytes it was given,
 * a CMS content's pieces or nesting), not an archive that cannot be listed (attacker round 122: `allowUnlistedArchives`
 * and `allowSmime` do not excuse it).
 *
 * @example
 * ```ts
 * if (left < 0) throw new DecodedBudgetError('over the decoded bytes budget');
 * ```
 */
export class DecodedBudgetError extends Error {
  override name = 'DecodedBudgetError';
}
