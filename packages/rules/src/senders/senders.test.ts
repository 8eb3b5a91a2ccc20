import { ConfigError, rule, when } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import {
  hasExternalRecipient,
  isNullSender,
  recipientMatches,
  senderIsExternal,
  senderIsInternal,
  senderMatches,
} from './index.js';

const fired = (c: Parameters<typeof when>[0]) =>
  when(
    c,
    rule('hit', (ctx) => ctx.note('hit')),
  );
async function hit(c: Parameters<typeof when>[0], event: Parameters<typeof runFlow>[1] = {}) {
  const { outcome } = await runFlow([fired(c)], event);
  return (outcome.rulesFired as string[]).includes('hit');
}

describe('conditions: senders and recipients', () => {
  it('matches the envelope sender by address, domain and subdomain pattern', async () => {
    expect(await hit(senderMatches(['*.partner.example']), { mailFrom: 'a@eu.partner.example' })).toBe(true);
    expect(
      await hit(senderMatches('x@other.example, partner.example'), { mailFrom: 'A@Partner.Example' }),
    ).toBe(true);
    expect(await hit(senderMatches(['*.partner.example']), { mailFrom: 'a@partner.example' })).toBe(false);
  });

  it('ignores the send-on-behalf sender (a header the sender writes) unless told to match it', async () => {
    const event = { mailFrom: 'bot@tool.example', sender: 'boss@corp.example' };
    expect(await hit(senderMatches(['boss@corp.example']), event)).toBe(false);
    expect(await hit(senderMatches(['boss@corp.example'], { includeOnBehalf: true }), event)).toBe(true);
  });

  it('tells internal from external senders, the null sender being external', async () => {
    expect(await hit(senderIsInternal(), { mailFrom: 'x@corp.example' })).toBe(true);
    expect(await hit(senderIsInternal(), { mailFrom: 'x@made-up.corp.example' })).toBe(false);
    expect(await hit(senderIsExternal(), { mailFrom: 'x@corp.example.evil.example' })).toBe(true);
    expect(await hit(senderIsExternal(), { mailFrom: '' })).toBe(true);
    expect(await hit(isNullSender(), { mailFrom: '' })).toBe(true);
    expect(await hit(isNullSender(), { mailFrom: 'x@corp.example' })).toBe(false);
  });

  it('matches recipients in some or every mode, and external recipients', async () => {
    const event = { recipients: ['a@corp.example', 'b@elsewhere.example'] };
    expect(await hit(recipientMatches(['elsewhere.example']), event)).toBe(true);
    expect(await hit(recipientMatches(['elsewhere.example'], { mode: 'every' }), event)).toBe(false);
    expect(await hit(hasExternalRecipient(), event)).toBe(true);
    expect(await hit(hasExternalRecipient(), { recipients: ['a@corp.example'] })).toBe(false);
  });

  it.each([
    [[] as string[]],
    [['not a pattern']],
    [['@corp.example']],
    [['a@b@c.example']],
    [['corp\r\n.example']],
    [['localhost']],
  ])('refuses bad patterns %j with a ConfigError naming the field', (patterns) => {
    expect(() => senderMatches(patterns)).toThrow(ConfigError);
    expect(() => recipientMatches(patterns)).toThrow(/invalid configuration patterns/);
  });
});
