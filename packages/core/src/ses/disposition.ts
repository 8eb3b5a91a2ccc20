import type { Verdict } from '../verdicts.js';
import type { SesDisposition } from './event.js';

type Disposition = SesDisposition['disposition'];

/**
 * How verdicts a receipt rule cannot express per recipient are resolved. A receipt rule answers once for
 * every recipient it matched; only bounces are per recipient (SendBounce).
 *
 * @example
 * ```ts
 * const policy: SesVerdictPolicy = { mixed: 'most-protective', junk: 'quarantine' };
 * ```
 */
export interface SesVerdictPolicy {
  /**
   * Recipients with different outcomes: `most-protective` (default) applies the strictest disposition to
   * everyone (a bounce or a drop for one stops delivery for all; the bounced still get their bounce);
   * `least-protective` delivers when anyone receives (no bounce is sent then, since the bounced recipients
   * receive the message too). Each resolution is logged.
   */
  mixed?: 'most-protective' | 'least-protective';
  /**
   * MOVE_TO_JUNK (SES has no Junk folder): `quarantine` (default) answers STOP_RULE, so the rule's delivery
   * actions are skipped and a following quarantine receipt rule takes the message (template-ses.yaml);
   * `deliver` answers CONTINUE; `drop` answers STOP_RULE_SET.
   */
  junk?: 'quarantine' | 'deliver' | 'drop';
}

/** What the adapter does for one message. */
export interface SesResolution {
  disposition: Disposition;
  /** Recipients to bounce with SendBounce, and the explanation; absent when nobody is bounced. */
  bounce?: { recipients: string[]; explanation: string };
  /** Per recipient, what SES will do: `BOUNCE:<message>`, DROP (stopped), MOVE_TO_JUNK (quarantined), DEFAULT. */
  applied: Record<string, string>;
  /** Each place where the receipt rule could not do exactly what the rules decided. */
  notes: string[];
}

const RANK: Record<Disposition, number> = { CONTINUE: 0, STOP_RULE: 1, STOP_RULE_SET: 2 };
const SHOWN: Record<Disposition, string> = {
  CONTINUE: 'DEFAULT',
  STOP_RULE: 'MOVE_TO_JUNK',
  STOP_RULE_SET: 'DROP',
};

function dispositionOf(verdict: Verdict, junk: NonNullable<SesVerdictPolicy['junk']>): Disposition {
  switch (verdict.type) {
    case 'BOUNCE':
    case 'DROP':
      return 'STOP_RULE_SET';
    case 'MOVE_TO_JUNK':
      return junk === 'deliver' ? 'CONTINUE' : junk === 'drop' ? 'STOP_RULE_SET' : 'STOP_RULE';
    default:
      return 'CONTINUE';
  }
}

/**
 * Turns per-recipient verdicts into one disposition plus the bounces to send, following `policy`.
 * DEFAULT → CONTINUE; DROP → STOP_RULE_SET; BOUNCE → SendBounce, then STOP_RULE_SET when nobody is left;
 * BYPASS_SPAM_CHECK → CONTINUE (SES scanned before the Lambda ran: noted).
 *
 * @example
 * ```ts
 * resolveDisposition(new Map([['a@corp.example', Verdicts.DROP]]), {}).disposition; // 'STOP_RULE_SET'
 * ```
 */
export function resolveDisposition(
  verdicts: ReadonlyMap<string, Verdict>,
  policy: SesVerdictPolicy,
): SesResolution {
  const junk = policy.junk ?? 'quarantine';
  const strictest = (policy.mixed ?? 'most-protective') === 'most-protective';
  const notes: string[] = [];
  const wanted = new Map<string, Disposition>();
  for (const [address, verdict] of verdicts) {
    wanted.set(address, dispositionOf(verdict, junk));
    if (verdict.type === 'BYPASS_SPAM_CHECK')
      notes.push(
        `${address}: BYPASS_SPAM_CHECK has no SES equivalent (SES scans before the Lambda runs): treated as DEFAULT`,
      );
    if (verdict.type === 'MOVE_TO_JUNK')
      notes.push(`${address}: MOVE_TO_JUNK resolved by the junk policy "${junk}"`);
  }
  const ranks = [...wanted.values()].map((d) => RANK[d]);
  const chosen = ranks.length === 0 ? 0 : strictest ? Math.max(...ranks) : Math.min(...ranks);
  const disposition = (Object.keys(RANK) as Disposition[]).find((d) => RANK[d] === chosen) ?? 'CONTINUE';
  const distinct = new Set(wanted.values());
  if (distinct.size > 1) {
    notes.push(
      `recipients with different outcomes (${[...distinct].join(', ')}): ${policy.mixed ?? 'most-protective'} policy answers ${disposition} for all`,
    );
  }
  const bounced = [...verdicts].filter(([, v]) => v.type === 'BOUNCE');
  const applied: Record<string, string> = {};
  for (const address of verdicts.keys()) applied[address] = SHOWN[disposition];
  if (bounced.length === 0 || disposition === 'CONTINUE') {
    if (bounced.length > 0)
      notes.push(
        `no bounce sent: the message is delivered to every recipient (${bounced.map(([a]) => a).join(', ')} included)`,
      );
    return { disposition, applied, notes };
  }
  const messages = [...new Set(bounced.map(([, v]) => (v.type === 'BOUNCE' ? v.message : '')))];
  // SendBounce takes one explanation per call and is throttled to one call a second: one call, messages joined.
  const explanation = messages.join('\n');
  for (const [address] of bounced) applied[address] = `BOUNCE:${explanation}`;
  return { disposition, bounce: { recipients: bounced.map(([a]) => a), explanation }, applied, notes };
}
