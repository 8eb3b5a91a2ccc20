import { readFileSync } from 'node:fs';
import { Verdicts } from '@wmflow/core';
import { allowSenders, enforceSesVerdicts, restrictMailboxes } from '@wmflow/rules';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { twinKit, useTwinStack } from './twin-kit.js';

// A48-17 (premise as A47-4: SES echoes the EHLO argument unquoted in `helo=`): the attacker signs its own mail
// (DKIM d=evil.example, a valid signature), so SES writes `dkim=pass header.i=@evil.example` instead of
// `dkim=none`. contradictsItself (auth-contradiction.ts) only calls a method contradictory when `none` sits beside
// another result, so the injected `dkim=pass()header.d=corp.example` beside SES's own dkim pass is two passes —
// consistent — and the forged corp.example sender is authenticated again (A47-4's fixtures with one line changed).
const stack = useTwinStack();
const kit = twinKit(stack);
const guard = attackerKit(stack);
const fixture = (name: string) => readFileSync(`${import.meta.dirname}/fixtures/round48/${name}.eml`);

describe("A48-17: an injected DKIM pass beside the attacker's own real DKIM pass", () => {
  const noRecord = fixture('helo-injected-beside-own-dkim-pass');
  it('(control) the A47-4 fixture (dkim=none beside the injection) is junked', async () => {
    const original = readFileSync(
      `${import.meta.dirname}/fixtures/round47/A47-4-authenticated-injected-pass/helo-injected-no-dmarc-record.eml`,
    );
    const { verdict } = await guard.inbound(
      original,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
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
  it('(held: SES says dmarc=fail there) restrictMailboxes bounces the forged inside sender', async () => {
    const rules = [restrictMailboxes({ mailboxes: ['all-staff@corp.example'] })];
    const message = fixture('helo-injected-beside-own-dkim-pass-restrict');
    const verdicts = await kit.wmFlow(rules, message, 'ceo@corp.example', ['all-staff@corp.example']);
    expect(verdicts['all-staff@corp.example']).toBe('BOUNCE');
  });
  it('allowSenders does not rescue a spam FAIL from a forged partner without a DMARC record', async () => {
    const rules = [
      enforceSesVerdicts(),
      allowSenders({ senders: ['partner.example'], verdict: Verdicts.BYPASS_SPAM_CHECK, rescue: true }),
    ];
    const message = fixture('helo-injected-partner-own-dkim');
    const verdicts = await kit.wmFlow(rules, message, 'billing@partner.example', ['bob@corp.example']);
    expect(verdicts['bob@corp.example']).toBe('MOVE_TO_JUNK');
  });
});

describe('(control) DKIM results in step with the signatures', () => {
  const signed = (auth: string, signatures: string[]) =>
    Buffer.from(
      [
        'Return-Path: <jane.doe@corp.example>',
        'X-SES-Spam-Verdict: PASS',
        'X-SES-Virus-Verdict: PASS',
        `Authentication-Results: amazonses.com;\r\n spf=pass (spfCheck: domain of corp.example designates 192.0.2.7 as permitted sender) client-ip=192.0.2.7; envelope-from=jane.doe@corp.example; helo=mx.corp.example;\r\n ${auth}\r\n dmarc=none header.from=corp.example;`,
        // Each signature lists the fields shown (attacker round 104: one that does not proves nothing of them).
        ...signatures.map(
          (d) => `DKIM-Signature: v=1; a=rsa-sha256; d=${d}; s=s1; h=from:to:subject:message-id; bh=x; b=y`,
        ),
        'From: "Jane Doe" <jane.doe@corp.example>',
        'To: bob@corp.example',
        'Subject: payroll',
        'Message-ID: <c-2@corp.example>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
        '',
        'See you at ten.',
        '',
      ].join('\r\n'),
    );
  it('sends the protected name signed by its own domain', async () => {
    const message = signed('dkim=pass header.i=@corp.example;', ['corp.example']);
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('DEFAULT');
  });
  it('sends it signed by its own domain and by its mail provider', async () => {
    const message = signed('dkim=pass header.i=@corp.example;\r\n dkim=pass header.i=@esp.example;', [
      'corp.example',
      'esp.example',
    ]);
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('DEFAULT');
  });
  it('sends it signed twice by its own domain (RSA and Ed25519), one not verified', async () => {
    const message = signed('dkim=pass header.i=@corp.example;\r\n dkim=neutral header.i=@corp.example;', [
      'corp.example',
      'corp.example',
    ]);
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('DEFAULT');
  });
  it('sends it beside the provider signature whose identity is in a subdomain of the signing domain', async () => {
    const message = signed(
      'dkim=pass header.i=@corp.example;\r\n dkim=pass header.i=bounce@mail.esp.example;',
      ['corp.example', 'esp.example'],
    );
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('DEFAULT');
  });
  it('junks it when SES reports more DKIM results than the message has signatures', async () => {
    const message = signed('dkim=pass header.i=@corp.example;\r\n dkim=pass header.i=@corp.example;', [
      'corp.example',
    ]);
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
  it('junks it when a pass names a domain no signature does', async () => {
    const message = signed('dkim=pass header.i=@corp.example;\r\n dkim=pass header.i=@esp.example;', [
      'esp.example',
      'other.example',
    ]);
    const { verdict } = await guard.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
