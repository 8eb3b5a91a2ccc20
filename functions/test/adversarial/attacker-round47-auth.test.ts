import { readFileSync } from 'node:fs';
import { Verdicts, when } from '@wmflow/core';
import {
  allowSenders,
  authFailed,
  blockAttachments,
  bounceWith,
  enforceSesVerdicts,
  restrictMailboxes,
} from '@wmflow/rules';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { twinKit, useTwinStack } from './twin-kit.js';

const stack = useTwinStack();
const kit = twinKit(stack);
const guard = attackerKit(stack);
const fixture = (dir: string, name: string) =>
  readFileSync(`${import.meta.dirname}/fixtures/round47/${dir}/${name}.eml`);

// A47-2 (premise: SES echoes the EHLO argument in its own Authentication-Results): a trusted header with a
// comment or quoted string left open cannot be read, and authFailed() read "no result" as "not failed": a
// DMARC-failing spoof of the organization passed `when(authFailed(), bounce)` on WorkMail while SES, reading
// its receipt verdicts, bounced it. Not knowing now counts as failing on both engines.
describe('A47-2: authFailed on an unreadable trusted Authentication-Results', () => {
  const rules = [when(authFailed(), bounceWith('DMARC failed.'))];
  const at = ['bob@corp.example'];
  it('bounces the readable header (control)', async () => {
    const message = fixture('A47-2-authfailed-unreadable', 'control-plain-helo');
    expect((await kit.wmFlow(rules, message, 'x@evil.example', at))['bob@corp.example']).toBe('BOUNCE');
  });
  for (const name of ['helo-open-comment', 'helo-open-quote'])
    it(`bounces ${name} on WorkMail as on SES`, async () => {
      const message = fixture('A47-2-authfailed-unreadable', name);
      const ses = await kit.ses(rules, message, 'x@evil.example', at, { dmarc: 'FAIL' });
      expect(ses.answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect((await kit.wmFlow(rules, message, 'x@evil.example', at))['bob@corp.example']).toBe('BOUNCE');
    });
});

// A47-3: restrictMailboxes compared recipients with the sub-address kept: `all-staff+news@corp.example` is not
// `all-staff@corp.example`, so nobody was restricted, while mail systems with RFC 5233 sub-addressing (where
// SES mail goes on to after WorkMail) deliver it to all-staff. Recipient patterns now name sub-addresses too.
describe('A47-3: a sub-addressed restricted mailbox', () => {
  const message = fixture('A47-3-subaddressed-restricted', 'all-staff-plus');
  const rule = restrictMailboxes({ mailboxes: ['all-staff@corp.example'] });
  it('bounces all-staff+news@ from outside on SES', async () => {
    const { answer, bounces } = await kit.ses([rule], message, 'x@evil.example', [
      'all-staff+news@corp.example',
    ]);
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('bounces all-staff+news@ from outside on WorkMail, and leaves another mailbox alone', async () => {
    const to = ['all-staff+news@corp.example', 'all-staffer@corp.example', 'bob+all-staff@corp.example'];
    expect(await kit.wmFlow([rule], message, 'x@evil.example', to)).toEqual({
      'all-staff+news@corp.example': 'BOUNCE',
      'all-staffer@corp.example': 'DEFAULT',
      'bob+all-staff@corp.example': 'DEFAULT',
    });
  });
});

// A47-4 (premise: SES echoes the EHLO argument unquoted in `helo=`): an injected `;dkim=pass()header.d=…`
// beside SES's own `dkim=none` and `dmarc=fail` made senderAuthenticated true (restrictMailboxes let the forged
// inside sender through; allowSenders rescued a spam FAIL), and senderIsInside true where the organization
// publishes no DMARC record. A header that contradicts itself now proves nothing anywhere.
describe('A47-4: an injected pass beside SES results that contradict it', () => {
  const dir = 'A47-4-authenticated-injected-pass';
  it('restrictMailboxes bounces the forged inside sender', async () => {
    const rules = [restrictMailboxes({ mailboxes: ['all-staff@corp.example'] })];
    const message = fixture(dir, 'helo-injected-dkim-pass');
    const verdicts = await kit.wmFlow(rules, message, 'ceo@corp.example', ['all-staff@corp.example']);
    expect(verdicts['all-staff@corp.example']).toBe('BOUNCE');
  });
  it('allowSenders does not rescue a spam FAIL from a forged partner', async () => {
    const rules = [
      enforceSesVerdicts(),
      allowSenders({ senders: ['partner.example'], verdict: Verdicts.BYPASS_SPAM_CHECK, rescue: true }),
    ];
    const message = fixture(dir, 'helo-injected-partner-pass');
    const verdicts = await kit.wmFlow(rules, message, 'billing@partner.example', ['bob@corp.example']);
    expect(verdicts['bob@corp.example']).toBe('MOVE_TO_JUNK');
  });
  const noRecord = fixture(dir, 'helo-injected-no-dmarc-record');
  it('junks the spoof of a protected name where DMARC is none', async () => {
    const { verdict } = await guard.inbound(
      noRecord,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
  it('tags the spoof [EXTERNAL] where DMARC is none', async () => {
    const { delivered } = await guard.inbound(noRecord, {}, 'jane.doe@corp.example');
    expect(delivered.toString('latin1')).toMatch(/^Subject: \[EXTERNAL\]/m);
  });
  it('still takes a consistent pass for the organization (control)', async () => {
    const honest = Buffer.from(
      noRecord
        .toString('latin1')
        .replace(';dkim=pass()header.d=corp.example;', ';')
        .replace('dkim=none;', 'dkim=pass header.d=corp.example;'),
      'latin1',
    );
    const { delivered } = await guard.inbound(honest, {}, 'jane.doe@corp.example');
    expect(delivered.toString('latin1')).not.toMatch(/^Subject: \[EXTERNAL\]/m);
  });
});

// A47-5: allowSenders({ rescue: true }) re-decided every settled recipient, a virus bounce and a blocked
// attachment included: a compromised (or SPF-authorised) partner host delivered both. A rescue now lifts Junk
// only.
describe('A47-5: a rescue allow list lifts Junk, never a block', () => {
  const message = fixture('A47-5-rescue-overrides-virus', 'partner-virus-exe');
  const rescue = allowSenders({ senders: ['payroll.example', 'partner.example'], rescue: true });
  const from = 'billing@partner.example';
  it('does not deliver a virus FAIL from an allowed partner (WorkMail and SES)', async () => {
    expect(
      (await kit.wmFlow([enforceSesVerdicts(), rescue], message, from, ['bob@corp.example']))[
        'bob@corp.example'
      ],
    ).toBe('BOUNCE');
    const { answer } = await kit.ses([enforceSesVerdicts(), rescue], message, from, ['bob@corp.example'], {
      virus: 'FAIL',
    });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
  });
  it('does not deliver an .exe from an allowed partner', async () => {
    const verdicts = await kit.wmFlow([blockAttachments(), rescue], message, from, ['bob@corp.example']);
    expect(verdicts['bob@corp.example']).toBe('BOUNCE');
  });
  it('still lifts Junk (control)', async () => {
    const rules = [enforceSesVerdicts({ onVirus: Verdicts.MOVE_TO_JUNK }), rescue];
    expect((await kit.wmFlow(rules, message, from, ['bob@corp.example']))['bob@corp.example']).toBe(
      'DEFAULT',
    );
  });
});
