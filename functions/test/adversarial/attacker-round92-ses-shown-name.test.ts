import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 92 (guard-ses, then the WorkMail guard's untaggable mail). Round 91 holds outside mail shown as the
// organization's on SES when a From or Sender address is the organization's or a look-alike's; the display name was
// left to impersonation, which runs only when PROTECTED_NAMES is set. At the defaults, `"ceo@corp.example"
// <x@evil.example>` (Outlook shows the name alone), a display name of the organization's domain, a group's name or a
// quoted local part showing its address were answered `CONTINUE`: delivered untagged, looking like inside mail, where
// the WorkMail guard tags them [EXTERNAL]. On WorkMail, the same name on mail that cannot be tagged (a raw UTF-8
// header) was delivered untagged. And round 91's DMARC-pass exception trusted a pass for a From field that reads two
// ways (`ceo@corp.example x@evil.example`: the receipt does not say which domain passed).
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
// The attacker's own domain passes SPF, DKIM and DMARC: it signs its own mail.
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };

describe('A92-1: guard-ses, an outside From or Sender whose shown name is the organization (no PROTECTED_NAMES)', () => {
  const cases: Record<string, string[]> = {
    'the organization address as the display name': ['From: "ceo@corp.example" <x@evil.example>'],
    'the same in capitals with a trailing dot': ['From: "CEO@CORP.EXAMPLE." <x@evil.example>'],
    'the same unquoted, before the address': ['From: ceo@corp.example <x@evil.example>'],
    'the same as a comment after the address': ['From: x@evil.example (ceo@corp.example)'],
    'the same in an encoded word': ['From: =?utf-8?Q?ceo=40corp.example?= <x@evil.example>'],
    'the same read with a zero for an o': ['From: "ceo@c0rp.example" <x@evil.example>'],
    'the same at a made-up subdomain': ['From: "hr@mail.corp.example" <x@evil.example>'],
    'the organization domain as the first word': ['From: "corp.example IT" <x@evil.example>'],
    'a quoted local part holding the address': ['From: "ceo@corp.example"@evil.example'],
    'a group named as the organization address': ['From: "ceo@corp.example": x@evil.example;'],
    'an encoded word alone as the From': ['From: =?utf-8?Q?ceo=40corp.example?='],
    'a Sender whose display name is the organization address': [
      'From: x@evil.example',
      'Sender: "ceo@corp.example" <y@evil.example>',
    ],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: held (Junk)`, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example')).toEqual(HELD);
    });
});

describe('A92-2: guard-ses, a DMARC pass for a From field that reads two ways', () => {
  const cases: Record<string, string[]> = {
    'two addresses without a comma': ['From: ceo@corp.example x@evil.example'],
    'two addresses in one angle pair': ['From: <ceo@corp.example x@evil.example>'],
    'a comment holding the outside domain': ['From: ceo(@evil.example)@corp.example'],
    'a source route through the outside domain': ['From: <@evil.example:ceo@corp.example>'],
    'an outside address as a comment': ['From: ceo@corp.example (x@evil.example)'],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: held (Junk)`, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example')).toEqual(HELD);
    });
});

describe('A92 held probes: guard-ses junked these before the round too', () => {
  const cases: Record<string, string[]> = {
    'two From fields, the organization first': ['From: ceo@corp.example', 'From: x@evil.example'],
    'one From field of two mailboxes': ['From: ceo@corp.example, x@evil.example'],
    'an organization From beside an outside Sender': ['From: ceo@corp.example', 'Sender: x@evil.example'],
    'a Sender at the organization beside an outside From': [
      'From: x@evil.example',
      'Sender: ceo@corp.example',
    ],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: held (Junk)`, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example')).toEqual(HELD);
    });
});

describe('A92-3: the WorkMail guard, untaggable outside mail whose shown name is the organization', () => {
  const RAW_TO = 'To: "Bøb" <bob@corp.example>';
  const cases: Record<string, string[]> = {
    'the organization address as the display name': ['From: "ceo@corp.example" <x@evil.example>', RAW_TO],
    'the organization domain as the first word': ['From: "corp.example Finance" <x@evil.example>', RAW_TO],
    'a quoted local part holding the address': ['From: "ceo@corp.example"@evil.example', RAW_TO],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: Junk`, async () => {
      expect((await kit.inbound(letter(head))).verdict).toBe('MOVE_TO_JUNK');
    });
  it('the same message, taggable, is tagged as before', async () => {
    const { verdict, delivered } = await kit.inbound(letter(['From: "ceo@corp.example" <x@evil.example>']));
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toMatch(/Subject: \[EXTERNAL\]/);
  });
});

describe('A92 controls: delivered by guard-ses', () => {
  const cases: Array<[string, string[], string]> = [
    ["the organization's own mail", ['From: CEO <ceo@corp.example>'], 'ceo@corp.example'],
    [
      "the organization's own mail, its address as the name",
      ['From: "ceo@corp.example" <ceo@corp.example>'],
      'ceo@corp.example',
    ],
    ['a quoted local part of its own', ['From: "Jane Doe" <"jane doe"@corp.example>'], 'ceo@corp.example'],
    [
      "a delegate's mail inside the organization",
      ['From: CEO <ceo@corp.example>', 'Sender: Assistant <pa@corp.example>'],
      'pa@corp.example',
    ],
    ['a partner', ['From: Ann <ann@partner.example>'], 'ann@partner.example'],
    [
      'a partner naming the organization later',
      ['From: "Ann (for corp.example)" <ann@partner.example>'],
      'ann@partner.example',
    ],
    [
      'a local part spelling the domain',
      ['From: corp.example@partner.example'],
      'corp.example@partner.example',
    ],
    [
      'a mailing list',
      [
        'From: "Ann via Dev" <dev@lists.example>',
        'Sender: dev-bounces@lists.example',
        'Reply-To: ann@partner.example',
      ],
      'dev-bounces@lists.example',
    ],
    [
      'a partner with the organization as Reply-To',
      ['From: Ann <ann@partner.example>', 'Reply-To: sales@corp.example'],
      'ann@partner.example',
    ],
  ];
  for (const [label, head, source] of cases)
    it(label, async () => {
      expect(await sesGuard(letter(head), PASS, source)).toEqual(ON);
    });
});
