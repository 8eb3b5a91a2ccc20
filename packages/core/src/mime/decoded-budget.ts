/**
 * A reader of an archive or a compressed file stopped at the decoded bytes it was given: a bound of the listing's own,
 * not an archive that cannot be listed (attacker round 122: `allowUnlistedArchives` does not excuse it).
 */
export class DecodedBudgetError extends Error {
  override name = 'DecodedBudgetError';
}
