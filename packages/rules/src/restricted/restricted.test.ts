import { inbound, outbound } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { internalOnlySenders, restrictMailboxes } from './index.js';

const ALL = 'all-staff@corp.example';
const BOB = 'bob@corp.example';

describe('rules: restricted mailboxes and internal-only senders', () => {
  const restrict = inbound(restrictMailboxes({ mailboxes: [ALL], allowedSenders: ['hr-vendor.example'] }));

  it('bounces outside senders for the restricted mailbox only', async () => {
    const { verdict } = await runFlow([restrict], { mailFrom: 'x@outside.example', recipients: [ALL, BOB] });
    expect(verdict(ALL)).toMatch(/^BOUNCE:This mailbox accepts mail only/);
    expect(verdict(BOB)).toBe('DEFAULT');
  });

  it('lets internal and allowed senders through', async () => {
    for (const mailFrom of ['ceo@corp.example', 'hr@hr-vendor.example']) {
      expect((await runFlow([restrict], { mailFrom, recipients: [ALL] })).verdict(ALL)).toBe('DEFAULT');
    }
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
