import type { AuthVerdicts } from '@wmflow/core';

/**
 * True when a trusted Authentication-Results header contradicts itself, so none of its passes proves anything:
 * SPF or DMARC reported twice (each is evaluated once per message), a DMARC result other than pass or none (the
 * verdict on the From a reader sees, whatever pass sits beside it), or a method reported as `none` beside another
 * result of its own (no signature beside a checked one), or DKIM results out of step with the message's signatures
 * (more results than signatures, a pass for a domain none names). A value SES echoes unquoted, such as the EHLO
 * name, can carry `;dkim=pass()header.d=…` (attacker rounds 44 and 47): SES's own results then sit beside the injected pass.
 */
export function contradictsItself(verdicts: AuthVerdicts): boolean {
  const results = new Map<string, string[]>();
  for (const m of verdicts.methods) {
    const list = results.get(m.method);
    if (list) list.push(m.result);
    else results.set(m.method, [m.result]);
  }
  if ((results.get('spf')?.length ?? 0) > 1 || (results.get('dmarc')?.length ?? 0) > 1) return true;
  if ((results.get('dmarc') ?? []).some((r) => r !== 'pass' && r !== 'none')) return true;
  for (const list of results.values()) if (list.length > 1 && list.includes('none')) return true;
  return dkimOutOfStep(verdicts);
}

// DKIM is reported once per signature the message carries: more results than signatures, or a pass for a domain
// no signature names (nor a parent of it: `header.i` may name a subdomain of `d=`), are not all the checker's (an
// attacker signing its own domain makes SES write a real pass beside an injected one, attacker round 48). Two
// results for one domain are not (a domain signing with RSA and Ed25519 may get two). Messages without
// DKIM-Signature headers are left to the rules above (SES then writes `dkim=none`).
function dkimOutOfStep(verdicts: AuthVerdicts): boolean {
  const signed = verdicts.dkimSignatureDomains ?? [];
  if (signed.length === 0) return false;
  const dkim = verdicts.methods.filter((m) => m.method === 'dkim');
  if (dkim.length > signed.length) return true;
  for (const m of dkim) {
    if (m.result !== 'pass') continue;
    const domain = (m.props['header.d'] ?? m.props['header.i']?.replace(/^.*@/, '') ?? '').toLowerCase();
    if (!signed.some((d) => d !== '' && (domain === d || domain.endsWith(`.${d}`)))) return true;
  }
  return false;
}
