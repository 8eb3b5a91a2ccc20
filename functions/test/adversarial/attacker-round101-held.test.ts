import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 101, held probes: how clients pick the name they show (several mailboxes, groups, comments, routes,
// quoted local parts, encoded words inside quotes or with a language, UTF-7, bidi overrides and isolates, full-width
// and zero-width letters, a second From, white space before the colon). Each was already Junk or tagged.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const RAW_TO = 'To: "Bøb" <bob@corp.example>';
const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');

const cases: Record<string, string[]> = {
  'second From org': ['From: x@evil.example', 'From: ceo@corp.example'],
  'space before colon': ['From : ceo@corp.example'],
  'tab before colon': ['From\t: ceo@corp.example'],
  'comment before address': ['From: (ceo@corp.example) <x@evil.example>'],
  'comment only name, bare': ['From: (ceo@corp.example) x@evil.example'],
  'rlo reversed': ['From: "\u202Eelpmaxe.proc@oec" <x@evil.example>'],
  'encoded in quotes': ['From: "=?utf-8?Q?ceo=40corp.example?=" <x@evil.example>'],
  'encoded lang': ['From: =?utf-8*en?Q?ceo=40corp.example?= <x@evil.example>'],
  'utf-7': ['From: =?utf-7?Q?ceo+AEA-corp.example?= <x@evil.example>'],
  'name with angle': [`From: ${encoded('CEO <ceo@corp.example>')} <x@evil.example>`],
  'quoted name with angle': ['From: "CEO <ceo@corp.example>" <x@evil.example>'],
  zwj: [`From: ${encoded('ceo@corp\u200d.example')} <x@evil.example>`],
  fullwidth: [`From: ${encoded('ｃｅｏ＠ｃｏｒｐ．ｅｘａｍｐｌｅ')} <x@evil.example>`],
  'lower from': ['from: ceo@corp.example'],
  'group empty org': ['From: ceo@corp.example:;'],
  'group name addr colon': ['From: "IT" ceo@corp.example: ;'],
  'address in name after words': ['From: "Service Desk ceo@corp.example" <x@evil.example>'],
  'bidi isolate address': [`From: ${encoded('\u2067elpmaxe.proc@oec\u2069')} <x@evil.example>`],
  'encoded-word split mid address': ['From: =?utf-8?Q?ceo=40?= =?utf-8?Q?corp.example?= <x@evil.example>'],
  'encoded word no space before angle': ['From: =?utf-8?Q?ceo=40corp.example?=<x@evil.example>'],
  'From with 8bit name then org address hidden in second mailbox': ['From: x@evil.example, ceo@corp.example'],
  'obs local part dots': ['From: "ceo"."x"@corp.example'],
};

describe('held on WorkMail, untaggable (a raw UTF-8 To), defaults: Junk', () => {
  for (const [label, head] of Object.entries(cases))
    it(label, async () => {
      const { verdict, delivered } = await kit.inbound(letter([...head, RAW_TO]));
      const tagged = /^Subject: \[EXTERNAL\]/m.test(delivered.toString('utf-8'));
      expect({ verdict, tagged }).toEqual({ verdict: 'MOVE_TO_JUNK', tagged: false });
    });
});
describe('held on WorkMail, taggable, defaults: tagged or Junk', () => {
  for (const [label, head] of Object.entries(cases))
    it(label, async () => {
      const { verdict, delivered } = await kit.inbound(letter(head));
      const tagged = /^Subject: \[EXTERNAL\]/m.test(delivered.toString('utf-8'));
      expect(verdict === 'MOVE_TO_JUNK' || tagged).toBe(true);
    });
});
// On SES a From at the organization's address itself with a DMARC pass is the organization's own mail (round 91): SES
// judges DMARC on that From's domain, so these are not run there.
const OWN_FROM = new Set(['space before colon', 'tab before colon', 'lower from', 'obs local part dots']);
describe('held on SES (DMARC pass for the attacker), defaults', () => {
  for (const [label, head] of Object.entries(cases).filter(([l]) => !OWN_FROM.has(l)))
    it(label, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example')).toEqual({ disposition: 'STOP_RULE' });
    });
});
