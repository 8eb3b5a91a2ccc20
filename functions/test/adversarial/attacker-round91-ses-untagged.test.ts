import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 91 (guard-ses): a receipt rule cannot rewrite the message, so guard-ses tags nothing. Outside mail
// under the organization's own From (its DMARC failing under `p=none`, or giving no result), under an organization
// Sender, or from a look-alike of its domain, was delivered (`CONTINUE`) looking like inside mail, where the WorkMail
// guard tags it [EXTERNAL] (and moves it to Junk when it cannot tag it: rounds 89 and 90).
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = async (...args: Parameters<ReturnType<typeof sesGuardKit>>) => ({
  answer: await sesGuardKit(stack)(...args),
});
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const FAILED: SesReceiptVerdicts = { ...PASS, spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };
const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };

describe('A91-3: outside mail shown as the organization, which guard-ses cannot tag', () => {
  const cases: Array<[string, string[], string, SesReceiptVerdicts]> = [
    [
      'the organization From, DMARC FAIL (p=none)',
      ['From: CEO <ceo@corp.example>'],
      'x@evil.example',
      FAILED,
    ],
    [
      'the organization From, DMARC FAIL, no policy given',
      ['From: ceo@corp.example'],
      'ceo@corp.example',
      FAILED,
    ],
    [
      'the organization From, DMARC GRAY',
      ['From: CEO <ceo@corp.example>'],
      'x@evil.example',
      { ...FAILED, dmarc: 'GRAY' },
    ],
    [
      'the organization From, no DMARC result (DISABLED)',
      ['From: CEO <ceo@corp.example>'],
      'x@evil.example',
      { ...FAILED, dmarc: 'DISABLED' },
    ],
    [
      'an organization subdomain From, DMARC FAIL',
      ['From: HR <hr@mail.corp.example>'],
      'x@evil.example',
      FAILED,
    ],
    [
      'an organization Sender of outside mail, DMARC PASS',
      ['From: x@evil.example', 'Sender: CEO <ceo@corp.example>'],
      'x@evil.example',
      PASS,
    ],
    ['a look-alike From, DMARC PASS', ['From: CEO <ceo@c0rp.example>'], 'ceo@c0rp.example', PASS],
    ['a hyphenated look-alike From', ['From: CEO <ceo@corp-example.com>'], 'ceo@corp-example.com', PASS],
    ['a look-alike Sender', ['From: x@evil.example', 'Sender: it@corp.exampel'], 'x@evil.example', PASS],
  ];
  for (const [label, head, source, verdicts] of cases) {
    it(`${label}: held (Junk) by guard-ses`, async () => {
      expect((await sesGuard(letter(head), verdicts, source)).answer).toEqual(HELD);
    });
  }
  it('the WorkMail guard junks an untaggable one under a made-up organization subdomain (as round 89 its domain)', async () => {
    const head = ['From: "Ressources Humaines \u00e9quipe" <hr@mail.corp.example>'];
    const message = mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');
    expect((await kit.inbound(message)).verdict).toBe('MOVE_TO_JUNK');
  });
  it('the WorkMail guard still tags such mail (unchanged)', async () => {
    const { verdict, delivered } = await kit.inbound(letter(['From: CEO <ceo@corp.example>']));
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toMatch(/Subject: \[EXTERNAL\]/);
  });
});

describe('A91-3 controls: delivered by guard-ses', () => {
  const cases: Array<[string, string[], string, SesReceiptVerdicts]> = [
    ["the organization's own mail, DMARC PASS", ['From: CEO <ceo@corp.example>'], 'ceo@corp.example', PASS],
    [
      "a delegate's mail inside the organization, DMARC PASS",
      ['From: CEO <ceo@corp.example>', 'Sender: Assistant <pa@corp.example>'],
      'pa@corp.example',
      PASS,
    ],
    ['a partner, DMARC PASS', ['From: Ann <ann@partner.example>'], 'ann@partner.example', PASS],
    [
      'an outside sender whose DMARC fails',
      ['From: Ann <ann@partner.example>'],
      'ann@partner.example',
      FAILED,
    ],
    ['a domain that merely shares a word', ['From: Bo <bo@corporate.example>'], 'bo@corporate.example', PASS],
  ];
  for (const [label, head, source, verdicts] of cases) {
    it(label, async () => {
      expect((await sesGuard(letter(head), verdicts, source)).answer).toEqual(ON);
    });
  }
});

describe('A91-3: TAG_EXTERNAL=false turns the check off on SES, as on WorkMail', () => {
  it('the organization From, DMARC FAIL: delivered', async () => {
    const message = letter(['From: CEO <ceo@corp.example>']);
    expect((await sesGuard(message, FAILED, 'x@evil.example', { TAG_EXTERNAL: 'false' })).answer).toEqual(ON);
  });
});
