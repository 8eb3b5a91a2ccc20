import { ConfigError, Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMessage } from '../../test/support/auth-message.js';
import { runFlow } from '../../test/support/run.js';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { parseList } from '../internal/config.js';
import { dropMessage, moveToJunk } from '../verdicts/index.js';
import { allowSenders, blockSenders } from './index.js';

const A = 'alice@corp.example';
let h: Harness;
beforeAll(async () => {
  h = await startHarness([]);
}, 60_000);
afterAll(() => h?.stop());

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

  it('allows authenticated listed senders past later rules, and rescues settled recipients when asked', async () => {
    const event = { mailFrom: 'payroll@vendor.example', recipients: [A] };
    const signed = authMessage('vendor.example', 'pass');
    const first = await h.run([allowSenders({ senders: ['vendor.example'] }), dropMessage()], signed, event);
    expect(first.verdict(A)).toBe('DEFAULT');
    const rescuer = allowSenders({
      senders: ['vendor.example'],
      verdict: Verdicts.BYPASS_SPAM_CHECK,
      rescue: true,
    });
    const rescue = await h.run([moveToJunk(), rescuer], signed, event);
    expect(rescue.verdict(A)).toBe('BYPASS_SPAM_CHECK');
    // A rescue lifts Junk only: a drop or a bounce (a virus, a blocked file) is not the sender's to overrule.
    expect((await h.run([dropMessage(), rescuer], signed, event)).verdict(A)).toBe('DROP');
    const other = await h.run([allowSenders({ senders: ['vendor.example'] }), dropMessage()], signed, {
      recipients: [A],
    });
    expect(other.verdict(A)).toBe('DROP');
  });

  it('grants no pass to a claimed MAIL FROM that authentication does not vouch for', async () => {
    const rules = [
      allowSenders({ senders: ['vendor.example'], verdict: Verdicts.BYPASS_SPAM_CHECK }),
      dropMessage(),
    ];
    const event = { mailFrom: 'payroll@vendor.example', recipients: [A] };
    for (const message of [
      authMessage('vendor.example', 'fail'),
      authMessage('other.example', 'pass'),
      authMessage('vendor.example', 'pass', 'forged.example'),
    ]) {
      expect((await h.run(rules, message, event)).verdict(A)).toBe('DROP');
    }
    const trusting = allowSenders({ senders: ['vendor.example'], requireAuthentication: false });
    expect((await runFlow([trusting, dropMessage()], event)).verdict(A)).toBe('DEFAULT');
  });

  it('never lets the send-on-behalf sender except a blocked MAIL FROM', async () => {
    const rules = [blockSenders({ senders: ['spam.example'], except: ['boss@corp.example'] })];
    const forged = { mailFrom: 'x@spam.example', sender: 'boss@corp.example' };
    expect((await runFlow(rules, forged)).verdict(A)).toMatch(/^BOUNCE:/);
    const blockedOnBehalf = { mailFrom: 'x@ham.example', sender: 'y@spam.example' };
    expect((await runFlow(rules, blockedOnBehalf)).verdict(A)).toMatch(/^BOUNCE:/);
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
