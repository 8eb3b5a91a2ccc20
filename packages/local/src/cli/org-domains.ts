import { LocalStackError } from '../errors.js';

/**
 * The organization domains of `--org-domain` (repeatable, or a comma-separated list as `ORGANIZATION_DOMAINS` takes
 * them), each a domain name (newcomer round 8): `--org-domain @corp.example` or an address was taken as a domain no
 * address is in, so every message replayed as inbound to `recipient@@corp.example`, with no word said.
 *
 * @example
 * ```ts
 * orgDomains(['corp.example,sub.corp.example']); // ['corp.example', 'sub.corp.example']
 * orgDomains(['@corp.example']); // LocalStackError: --org-domain @corp.example: a domain name, corp.example (without the @)
 * ```
 */
export function orgDomains(values: readonly string[]): string[] {
  const domains = values.flatMap((value) => value.split(/[,;\s]+/)).filter((d) => d !== '');
  for (const domain of domains) {
    const at = domain.lastIndexOf('@');
    if (at >= 0)
      throw new LocalStackError(
        `--org-domain ${domain}: a domain name, ${domain.slice(at + 1) || 'corp.example'} (without the ${at === 0 ? '@' : 'address before it'})`,
      );
  }
  return domains;
}
