import { ConfigError, inbound, Verdicts, when } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { senderMatches } from '../senders/index.js';
import {
  bounceWith,
  bypassSpamCheck,
  deliverNormally,
  dropMessage,
  moveToJunk,
  settleWith,
} from './index.js';

const A = 'alice@corp.example';
const B = 'bob@corp.example';

describe('rules: verdicts', () => {
  it.each([
    ['BOUNCE:Not here.', bounceWith('Not here.')],
    ['DROP', dropMessage()],
    ['MOVE_TO_JUNK', inbound(moveToJunk())],
    ['BYPASS_SPAM_CHECK', inbound(bypassSpamCheck())],
    ['DEFAULT', deliverNormally()],
  ])('settles %s for every recipient', async (expected, r) => {
    const { verdict } = await runFlow([r]);
    expect([verdict(A), verdict(B)]).toEqual([expected, expected]);
  });

  it('settles only the recipients matching `recipients`, and only when its condition holds', async () => {
    const r = when(senderMatches(['spam.example']), dropMessage({ recipients: [B] }));
    expect((await runFlow([r], { mailFrom: 'x@spam.example' })).verdict(B)).toBe('DROP');
    expect((await runFlow([r], { mailFrom: 'x@spam.example' })).verdict(A)).toBe('DEFAULT');
    expect((await runFlow([r], { mailFrom: 'x@ham.example' })).verdict(B)).toBe('DEFAULT');
  });

  it('leaves recipients an earlier rule settled', async () => {
    const { verdict } = await runFlow([deliverNormally({ recipients: [A] }), dropMessage()]);
    expect([verdict(A), verdict(B)]).toEqual(['DEFAULT', 'DROP']);
  });

  it('refuses bad configuration with a ConfigError naming the field', () => {
    expect(() => bounceWith('')).toThrow(/configuration message/);
    expect(() => bounceWith('a\u0000b')).toThrow(ConfigError);
    expect(() => bounceWith('x'.repeat(3000))).toThrow(ConfigError);
    expect(() => dropMessage({ recipients: ['??'] })).toThrow(/recipients\[0\]/);
    expect(() => settleWith({ type: 'NOPE' } as never)).toThrow(/configuration verdict/);
    expect(() => dropMessage({ name: '' })).toThrow(/configuration name/);
  });

  it('fails a direction-illegal verdict at run time under the flow error policy', async () => {
    const { verdict, outcome } = await runFlow([moveToJunk() as never], { direction: 'OUTBOUND' });
    expect(verdict(A)).toBe('DEFAULT');
    expect(outcome.failures).toEqual([expect.objectContaining({ rule: 'move-to-junk' })]);
    expect(Verdicts.DROP.type).toBe('DROP');
  });
});
