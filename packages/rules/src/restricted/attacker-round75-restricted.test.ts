import { inbound, outbound } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { internalOnlySenders, restrictMailboxes } from './index.js';

const ALL = 'all-staff@corp.example';
const restrict = inbound(restrictMailboxes({ mailboxes: [ALL] }));
const kiosk = outbound(internalOnlySenders({ senders: ['kiosk@corp.example'] }));

async function restricted(recipient: string) {
  const { verdict } = await runFlow([restrict], {
    mailFrom: 'x@outside.example',
    recipients: [recipient, 'bob@corp.example'],
  });
  return [verdict(recipient), verdict('bob@corp.example')];
}

describe('attacker round 75: restricted mailboxes', () => {
  it.each([
    ['all-\u017Ftaff@corp.example'], // long s: upper-cases to S
    ['\uFF41ll-staff@corp.example'], // full-width a
    ['all-st\u00ADaff@corp.example'], // soft hyphen
    ['ALL-\u017FTAFF+news@corp.example'],
  ])('a spelling that folds onto the restricted mailbox is restricted: %s', async (r) => {
    const [v, bob] = await restricted(r);
    expect(v).toMatch(/^BOUNCE:/);
    expect(bob).toBe('DEFAULT');
  });

  it.each([['all-staff-news@corp.example'], ['\u0430ll-staff@corp.example'], ['j\u00F6rg@corp.example']])(
    'benign: another mailbox stays unrestricted: %s',
    async (r) => {
      expect(await restricted(r)).toEqual(['DEFAULT', 'DEFAULT']);
    },
  );
});

describe('attacker round 75: internal-only senders', () => {
  async function sent(mailFrom: string, recipients: string[]) {
    const { verdict } = await runFlow([kiosk], { direction: 'OUTBOUND', mailFrom, recipients });
    return recipients.map((r) => verdict(r));
  }

  it.each([['kiosk+x@corp.example'], ['KIOSK@corp.example'], ['\u212Aiosk@corp.example']])(
    'a sub-address or folded spelling of the sender is the sender: %s',
    async (from) => {
      expect(await sent(from, ['bob@corp.example', 'x@outside.example'])).toEqual([
        'DEFAULT',
        expect.stringMatching(/^BOUNCE:/),
      ]);
    },
  );

  it.each([
    ['x%outside.example@corp.example'],
    ['outside.example!x@corp.example'],
    ['"x@outside.example"@corp.example'],
    ['x@corp.example.outside.example'],
    ['x@corp-example.outside.example'],
    ['x@[192.0.2.1]'],
  ])('a recipient routed outside through an internal domain is outside: %s', async (r) => {
    expect(await sent('kiosk@corp.example', ['bob@corp.example', r])).toEqual([
      'DEFAULT',
      expect.stringMatching(/^BOUNCE:/),
    ]);
  });

  it('benign: other senders and plain internal recipients pass', async () => {
    expect(await sent('kiosk2@corp.example', ['x@outside.example'])).toEqual(['DEFAULT']);
    expect(
      await sent('kiosk@corp.example', ['bob@corp.example', 'bob+x@corp.example', "o'neil@corp.example"]),
    ).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
  });

  it('an allowed outside recipient naming a route is not allowed', async () => {
    const partner = outbound(
      internalOnlySenders({ senders: ['kiosk@corp.example'], allowedRecipients: ['partner.example'] }),
    );
    const recipients = [
      'x%evil.example@partner.example',
      '"x@evil.example"@partner.example',
      'x@partner.example',
    ];
    const { verdict } = await runFlow([partner], {
      direction: 'OUTBOUND',
      mailFrom: 'kiosk@corp.example',
      recipients,
    });
    expect(recipients.map((r) => verdict(r))).toEqual([
      expect.stringMatching(/^BOUNCE:/),
      expect.stringMatching(/^BOUNCE:/),
      'DEFAULT',
    ]);
  });
});
