import { describe, expect, it } from 'vitest';
import { OUTSIDE, outboundLimits, RATE_BOUNCE } from '../../test/support/outbound-limit.js';
import { runFlow } from '../../test/support/run.js';

// Attacker round 87: an outbound per-sender limit (`key: 'sender'`, and the sender half of `pair`) counted each
// spelling of the sending mailbox apart: a compromised mailbox writing from `alice+1@`, `alice+2@`, … (its
// sub-addresses, which round 75 took as the same sender for internal-only senders) or a folded spelling
// (`ａlice@`, `aliſe@`) got a fresh counter each time, and so sent past the limit. Outbound, the sender's key is
// now its mailbox: the sub-address cut and the local part folded. Inbound keys are unchanged (an outside sender's
// envelope is claimed anyway, and mailing lists write VERP sub-addresses, one per message).

const { limiter, outbound } = outboundLimits();

describe('A87-2: an outbound sender limit counts the mailbox, whatever its spelling', () => {
  it('counts sub-addresses of the sender as the sender', async () => {
    const rule = await limiter('sender', 2);
    const verdicts = [];
    for (const from of [
      'alice+1@corp.example',
      'alice+2@corp.example',
      'alice+3@corp.example',
      'alice@corp.example',
    ])
      verdicts.push((await outbound(rule, from)).verdict(OUTSIDE[0] as string));
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', RATE_BOUNCE, RATE_BOUNCE]);
  });
  it('counts folded spellings of the sender as the sender', async () => {
    const rule = await limiter('sender', 2);
    const verdicts = [];
    for (const from of [
      'alice@corp.example',
      '\uff41lice@corp.example',
      '\uff41\uff4c\uff49\uff43\uff45@corp.example',
      'ali\u00adce@corp.example',
    ])
      verdicts.push((await outbound(rule, from)).verdict(OUTSIDE[0] as string));
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', RATE_BOUNCE, RATE_BOUNCE]);
  });
  it('counts a pair by the sending mailbox', async () => {
    const rule = await limiter('pair', 1);
    const first = await outbound(rule, 'alice+a@corp.example');
    const second = await outbound(rule, 'alice+b@corp.example');
    expect([first.verdict('x@outside.example'), second.verdict('x@outside.example')]).toEqual([
      'DEFAULT',
      RATE_BOUNCE,
    ]);
  });
  it('benign: two mailboxes of the organization are counted apart', async () => {
    const rule = await limiter('sender', 1);
    const a = await outbound(rule, 'alice@corp.example');
    const b = await outbound(rule, 'alice.smith@corp.example');
    const c = await outbound(rule, 'bob+alice@corp.example');
    expect([a, b, c].map((r) => r.verdict('x@outside.example'))).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
  });
  it('benign: inbound, a mailing list writing one VERP sub-address a message is not one sender', async () => {
    const rule = await limiter('sender', 1);
    const runs = [];
    for (const from of ['bounce+1001@list.example', 'bounce+1002@list.example'])
      runs.push(await runFlow([rule], { mailFrom: from, recipients: ['alice@corp.example'] }));
    expect(runs.map((r) => r.verdict('alice@corp.example'))).toEqual(['DEFAULT', 'DEFAULT']);
  });
});
