import { inbound, outbound } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMessage } from '../../test/support/auth-message.js';
import { runFlow } from '../../test/support/run.js';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { internalOnlySenders, restrictMailboxes } from './index.js';

const ALL = 'all-staff@corp.example';
const BOB = 'bob@corp.example';
let h: Harness;
beforeAll(async () => {
  h = await startHarness([]);
}, 60_000);
afterAll(() => h?.stop());

describe('rules: restricted mailboxes and internal-only senders', () => {
  const restrict = inbound(restrictMailboxes({ mailboxes: [ALL], allowedSenders: ['hr-vendor.example'] }));

  it('bounces outside senders for the restricted mailbox only', async () => {
    const { verdict } = await runFlow([restrict], { mailFrom: 'x@outside.example', recipients: [ALL, BOB] });
    expect(verdict(ALL)).toMatch(/^BOUNCE:This mailbox accepts mail only/);
    expect(verdict(BOB)).toBe('DEFAULT');
  });

  it('lets authenticated internal and allowed senders through', async () => {
    for (const mailFrom of ['ceo@corp.example', 'hr@hr-vendor.example']) {
      const message = authMessage(mailFrom.split('@')[1] as string, 'pass');
      expect((await h.run([restrict], message, { mailFrom, recipients: [ALL] })).verdict(ALL)).toBe(
        'DEFAULT',
      );
    }
  });

  it('refuses a made-up subdomain, and an internal or allowed MAIL FROM authentication does not vouch for', async () => {
    const cases = [
      ['x@made-up.corp.example', authMessage('made-up.corp.example', 'pass')],
      ['ceo@corp.example', authMessage('corp.example', 'fail')],
      ['hr@hr-vendor.example', authMessage('evil.example', 'pass')],
    ] as const;
    for (const [mailFrom, message] of cases) {
      const { verdict } = await h.run([restrict], message, { mailFrom, recipients: [ALL] });
      expect(verdict(ALL)).toMatch(/^BOUNCE:/);
    }
  });

  it('bounces every recipient of an internal-only sender when the event is truncated', async () => {
    const r = outbound(internalOnlySenders({ senders: ['kiosk@corp.example'] }));
    const { verdict } = await runFlow([r], {
      direction: 'OUTBOUND',
      mailFrom: 'kiosk@corp.example',
      recipients: ['a@corp.example'],
      truncated: true,
    });
    expect(verdict('a@corp.example')).toMatch(/^BOUNCE:/);
  });

  it('bounces outside recipients of internal-only senders, keeping internal ones', async () => {
    const r = outbound(
      internalOnlySenders({ senders: ['kiosk@corp.example'], allowedRecipients: ['ok.example'] }),
    );
    const event = {
      direction: 'OUTBOUND' as const,
      mailFrom: 'kiosk@corp.example',
      recipients: [BOB, 'x@outside.example', 'y@ok.example'],
    };
    const { verdict } = await runFlow([r], event);
    expect(verdict('x@outside.example')).toMatch(/^BOUNCE:You may send mail only within/);
    expect([verdict(BOB), verdict('y@ok.example')]).toEqual(['DEFAULT', 'DEFAULT']);
    const free = await runFlow([r], { ...event, mailFrom: 'ceo@corp.example' });
    expect(free.verdict('x@outside.example')).toBe('DEFAULT');
  });

  it('refuses bad configuration', () => {
    expect(() => restrictMailboxes({ mailboxes: [] })).toThrow(/configuration mailboxes/);
    expect(() => restrictMailboxes({ mailboxes: [ALL], allowedSenders: ['a b'] })).toThrow(
      /allowedSenders\[0\]/,
    );
    expect(() => internalOnlySenders({ senders: ['x.example'], bounceMessage: '' })).toThrow(/bounceMessage/);
  });
});
