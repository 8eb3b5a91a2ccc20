import { ConfigError, Verdicts } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { parseList } from '../internal/config.js';
import { dropMessage } from '../verdicts/index.js';
import { allowSenders, blockSenders } from './index.js';

const A = 'alice@corp.example';

describe('rules: blockSenders and allowSenders', () => {
  it('bounces listed senders with the default message, or settles the given verdict', async () => {
    const bounced = await runFlow([blockSenders({ senders: ['spam.example'] })], {
      mailFrom: 'x@spam.example',
    });
    expect(bounced.verdict(A)).toMatch(/^BOUNCE:.*sender is blocked/);
    const dropped = await runFlow([blockSenders({ senders: '*.spam.example', verdict: Verdicts.DROP })], {
      mailFrom: 'x@a.spam.example',
    });
    expect(dropped.verdict(A)).toBe('DROP');
  });

  it('does not block other senders, nor listed exceptions', async () => {
    const rules = [blockSenders({ senders: ['spam.example'], except: ['ok@spam.example'] })];
    expect((await runFlow(rules, { mailFrom: 'x@ham.example' })).verdict(A)).toBe('DEFAULT');
    expect((await runFlow(rules, { mailFrom: 'OK@spam.example' })).verdict(A)).toBe('DEFAULT');
  });

  it('allows listed senders past later rules, and rescues settled recipients when asked', async () => {
    const event = { mailFrom: 'payroll@vendor.example' };
    const first = await runFlow([allowSenders({ senders: ['vendor.example'] }), dropMessage()], event);
    expect(first.verdict(A)).toBe('DEFAULT');
    const rescue = await runFlow(
      [
        dropMessage(),
        allowSenders({ senders: ['vendor.example'], verdict: Verdicts.BYPASS_SPAM_CHECK, rescue: true }),
      ],
      event,
    );
    expect(rescue.verdict(A)).toBe('BYPASS_SPAM_CHECK');
    const other = await runFlow([allowSenders({ senders: ['vendor.example'] }), dropMessage()]);
    expect(other.verdict(A)).toBe('DROP');
  });

  it('reads lists from configuration text with comments', () => {
    expect(parseList('a@x.example, b.example;\n# comment line\n *.c.example  d.example\n')).toEqual([
      'a@x.example',
      'b.example',
      '*.c.example',
      'd.example',
    ]);
  });

  it('refuses bad configuration', () => {
    expect(() => blockSenders({ senders: '' })).toThrow(/configuration senders/);
    expect(() => blockSenders({ senders: ['x.example'], bounceMessage: ' ' })).toThrow(/bounceMessage/);
    expect(() => allowSenders({ senders: ['x.example'], verdict: Verdicts.DROP as never })).toThrow(
      ConfigError,
    );
    expect(() => allowSenders({ senders: 42 as never })).toThrow(/configuration senders/);
  });
});
