import { inbound } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { restrictMailboxes } from './index.js';

// Fault round 61: a truncated inbound event (WorkMail cut the recipient list to keep the payload under 128 KB) lists
// only some recipients. A restricted mailbox among those it does not list was judged by what the list showed: an
// outside sender writing to many people with all-staff@ past the cut had every listed recipient DEFAULT, so the
// `allRecipients` action, which covers the unlisted, delivered to the restricted mailbox. Not knowing is not
// allowing: the unlisted recipients of a sender the mailboxes refuse now get the bounce.
const ALL = 'all-staff@corp.example';
const restrict = inbound(restrictMailboxes({ mailboxes: [ALL], allowedSenders: ['hr-vendor.example'] }));
const allRecipientsAction = (response: unknown) =>
  (response as { actions: { action: { type: string }; allRecipients?: boolean }[] }).actions.find(
    (a) => a.allRecipients,
  )?.action.type;

describe('F61: restricted mailboxes when the event is truncated', () => {
  it('an outside sender: the recipients the event does not list are bounced', async () => {
    const run = await runFlow([restrict], {
      mailFrom: 'x@outside.example',
      recipients: ['alice@corp.example', 'bob@corp.example'],
      truncated: true,
    });
    expect(allRecipientsAction(run.response)).toBe('BOUNCE');
    // The verdict model names no "unlisted only": every recipient of the refused sender is bounced.
    expect(run.verdict('alice@corp.example')).toMatch(/^BOUNCE:This mailbox accepts mail only/);
  });

  it('an outside sender with the restricted mailbox listed: it and the unlisted are bounced', async () => {
    const run = await runFlow([restrict], {
      mailFrom: 'x@outside.example',
      recipients: [ALL, 'bob@corp.example'],
      truncated: true,
    });
    expect(run.verdict(ALL)).toMatch(/^BOUNCE:This mailbox accepts mail only/);
    expect(allRecipientsAction(run.response)).toBe('BOUNCE');
  });

  it('held: the same event not truncated bounces only the restricted mailbox', async () => {
    const run = await runFlow([restrict], {
      mailFrom: 'x@outside.example',
      recipients: [ALL, 'bob@corp.example'],
    });
    expect(run.verdict(ALL)).toMatch(/^BOUNCE:/);
    expect(run.verdict('bob@corp.example')).toBe('DEFAULT');
    expect(allRecipientsAction(run.response)).toBe('DEFAULT');
  });
});
