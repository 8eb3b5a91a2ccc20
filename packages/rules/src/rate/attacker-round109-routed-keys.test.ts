import { describe, expect, it } from 'vitest';
import { OUTSIDE, outboundLimits, RATE_BOUNCE } from '../../test/support/outbound-limit.js';

// Attacker round 109: an outbound per-sender limit (`key: 'sender'`, and the sender half of `pair`) counted a routed
// spelling of the sending mailbox apart. Round 107 took `kiosk%corp.example@corp.example` as an envelope sender for the
// kiosk (a relay honouring the percent hack answers for it), and round 87 counts a sender's sub-addresses as its
// mailbox; but `alice%corp.example%1@corp.example`, `…%2@`, `1!corp.example!alice@` (hops the route's end does not
// depend on are free text) each had a fresh counter, so a compromised mailbox sent past its limit. A routed spelling
// is now also counted under the mailbox at each end of its route (packages/rules/src/rate/keys.ts).

const { limiter, outbound } = outboundLimits();

describe('A109-4: an outbound sender limit counts a routed spelling as the mailbox at its end', () => {
  it('counts percent hacks and bang paths of the sender as the sender', async () => {
    const rule = await limiter('sender', 2);
    const verdicts = [];
    for (const from of [
      'alice@corp.example',
      'alice%corp.example%1@corp.example',
      '2!corp.example!alice@corp.example',
      '"alice+x@corp.example"@corp.example',
    ])
      verdicts.push((await outbound(rule, from)).verdict(OUTSIDE[0] as string));
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', RATE_BOUNCE, RATE_BOUNCE]);
  });
  it('counts a pair by the mailbox at the end of the sender’s route', async () => {
    const rule = await limiter('pair', 1);
    const first = await outbound(rule, 'alice%corp.example%a@corp.example');
    const second = await outbound(rule, 'alice%corp.example%b@corp.example');
    expect([first.verdict('x@outside.example'), second.verdict('x@outside.example')]).toEqual([
      'DEFAULT',
      RATE_BOUNCE,
    ]);
  });
  it('benign: a mailbox whose name holds a percent sign, and another mailbox, are counted apart', async () => {
    const rule = await limiter('sender', 1);
    const runs = [];
    for (const from of ['bob@corp.example', 'discount-50%@corp.example', 'carol@corp.example'])
      runs.push((await outbound(rule, from)).verdict('x@outside.example'));
    expect(runs).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
  });
});
