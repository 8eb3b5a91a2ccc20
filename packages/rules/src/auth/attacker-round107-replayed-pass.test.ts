import { inbound, Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { allowSenders } from '../lists/index.js';
import { restrictMailboxes } from '../restricted/index.js';
import { dropMessage } from '../verdicts/index.js';

// Attacker round 107 (an outside sender against `restrictMailboxes` and `allowSenders`): a replay of a message the
// organization (or an allowed partner) signed. `senderAuthenticated` took a DKIM pass for the envelope sender's
// domain (or a DMARC pass, which may rest on it) as proof of the sender, whatever the signature covered. Round 104
// closed this replay for the guard's own-mail exception (`signedWhole`): a signature over part of the body (`l=`)
// passes whatever is appended after its count, and one that does not list a field a client shows passes with that
// field added (a `To` at the restricted mailbox, a `Reply-To` at the attacker). Sent from the attacker's own server,
// SPF fails; the replayed signature still passes: the restricted mailbox received it, the allow list granted its pass.
let h: Harness;
beforeAll(async () => {
  h = await startHarness([]);
}, 60_000);
afterAll(() => h?.stop());

const ALL = 'all-staff@corp.example';
const CRLF = '\r\n';

function replay(domain: string, signature: string, extra: string[] = [], spf = 'fail'): Buffer {
  return Buffer.from(
    [
      `Authentication-Results: amazonses.com; spf=${spf} smtp.mailfrom=bob@${domain}; dkim=pass header.i=@${domain}; dmarc=pass header.from=${domain}`,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=s1; ${signature} bh=AAAA; b=BBBB`,
      ...extra,
      `From: Bob <bob@${domain}>`,
      `To: ${ALL}`,
      'Subject: lunch',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      `Message-ID: <1@${domain}>`,
      'Content-Type: text/plain',
      '',
      'see you at noon',
      'Urgent: the payroll portal moved to https://payroll.evil.example/',
      '',
    ].join(CRLF),
  );
}

const WHOLE = 'h=from:to:subject:date:message-id;';
const event = (domain: string) => ({ mailFrom: `bob@${domain}`, recipients: [ALL] });
const restricted = async (message: Buffer) =>
  (await h.run([inbound(restrictMailboxes({ mailboxes: [ALL] }))], message, event('corp.example'))).verdict(
    ALL,
  );
const allowed = async (message: Buffer) =>
  (
    await h.run(
      [allowSenders({ senders: ['vendor.example'], verdict: Verdicts.BYPASS_SPAM_CHECK }), dropMessage()],
      message,
      event('vendor.example'),
    )
  ).verdict(ALL);

describe('A107-2: a replayed signature is no proof of the sender', () => {
  const cases: [string, string, string[]][] = [
    ['a signature over part of the body (l=)', `l=17; ${WHOLE}`, []],
    ['a To the signature does not list', 'h=from:subject:date:message-id;', []],
    ['a Reply-To added', WHOLE, ['Reply-To: payroll@evil.example']],
    ['a Thread-Topic added', WHOLE, ['Thread-Topic: payroll']],
  ];
  for (const [name, signature, extra] of cases) {
    it(`restrictMailboxes: ${name}, SPF failing, bounces`, async () => {
      expect(await restricted(replay('corp.example', signature, extra))).toMatch(/^BOUNCE:/);
    });
    it(`allowSenders: ${name}, SPF failing, earns no pass`, async () => {
      expect(await allowed(replay('vendor.example', signature, extra))).toBe('DROP');
    });
  }

  it('control: a message signed whole passes on DKIM alone', async () => {
    expect(await restricted(replay('corp.example', WHOLE))).toBe('DEFAULT');
    expect(await allowed(replay('vendor.example', WHOLE))).toBe('BYPASS_SPAM_CHECK');
  });
  it("control: the sender's own servers (SPF pass) need no whole signature", async () => {
    const m365 = 'h=from:subject:date:message-id;';
    expect(await restricted(replay('corp.example', m365, [], 'pass'))).toBe('DEFAULT');
    expect(await allowed(replay('vendor.example', `l=17; ${WHOLE}`, [], 'pass'))).toBe('BYPASS_SPAM_CHECK');
  });
});
