import { inbound, outbound } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { internalOnlySenders, restrictMailboxes } from './index.js';

// Attacker round 107 (an outside sender against a restricted mailbox): a recipient at the organization's domain whose
// local part routes on to the restricted mailbox (the percent hack, a bang path, a quoted `@`). Round 75 counted such a
// recipient as outside for the outbound checks (a relay that honours the form sends it on), but the restriction
// compared the spelling as written: `all-staff%corp.example@corp.example` named no restricted mailbox and was
// delivered, by any relay honouring the form, to `all-staff@`.
const ALL = 'all-staff@corp.example';
const restrict = inbound(restrictMailboxes({ mailboxes: [ALL] }));

async function restricted(recipient: string) {
  const { verdict } = await runFlow([restrict], {
    mailFrom: 'x@outside.example',
    recipients: [recipient, 'bob@corp.example'],
  });
  return [verdict(recipient), verdict('bob@corp.example')];
}

describe('attacker round 107: a recipient routed on to a restricted mailbox', () => {
  it.each([
    ['all-staff%corp.example@corp.example'],
    ['ALL-STAFF%CORP.EXAMPLE@corp.example'],
    ['all-staff+x%corp.example@corp.example'],
    ['all-staff%corp.example%relay.example@corp.example'],
    ['corp.example!all-staff@corp.example'],
    ['relay.example!corp.example!all-staff@corp.example'],
    ['"all-staff@corp.example"@corp.example'],
    ['"all-staff%corp.example"@corp.example'],
  ])('%s is restricted', async (r) => {
    const [v, bob] = await restricted(r);
    expect(v).toMatch(/^BOUNCE:/);
    expect(bob).toBe('DEFAULT');
  });

  it.each([
    ['bob%corp.example@corp.example'],
    ['all-staff%other.example@corp.example'],
    ['other.example!all-staff@corp.example'],
    ['"all staff"@corp.example'],
    ['discount-50%@corp.example'],
  ])('benign: %s names no restricted mailbox', async (r) => {
    expect(await restricted(r)).toEqual(['DEFAULT', 'DEFAULT']);
  });

  it('an internal-only sender writing as a routed spelling of itself is the sender', async () => {
    const kiosk = outbound(internalOnlySenders({ senders: ['kiosk@corp.example'] }));
    const { verdict } = await runFlow([kiosk], {
      direction: 'OUTBOUND',
      mailFrom: 'kiosk%corp.example@corp.example',
      recipients: ['x@outside.example'],
    });
    expect(verdict('x@outside.example')).toMatch(/^BOUNCE:/);
  });
});
