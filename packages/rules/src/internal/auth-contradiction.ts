import type { AuthVerdicts } from '@wmflow/core';

/**
 * True when a trusted Authentication-Results header contradicts itself, so none of its passes proves anything:
 * SPF or DMARC reported twice (each is evaluated once per message), a DMARC result other than pass or none (the
 * verdict on the From a reader sees, whatever pass sits beside it), or a method reported as `none` beside another
 * result of its own (no signature beside a checked one). A value SES echoes unquoted, such as the EHLO name, can
 * carry `;dkim=pass()header.d=…` (attacker rounds 44 and 47): SES's own results then sit beside the injected pass.
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
  return false;
}
