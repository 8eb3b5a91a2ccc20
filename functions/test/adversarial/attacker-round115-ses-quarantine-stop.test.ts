import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { loadTemplate, type Template } from '../cfn.js';
import { mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 115 (the SES engine): a message guard-ses holds is answered STOP_RULE, so the rest of the inbound rule
// (delivery, Stop) is skipped and the next rule runs: the template's quarantine rule, which stored the message under
// quarantine/ and ended there, without a Stop. docs/moving-off-workmail.md tells an account that already receives mail
// to add wmflow's two rules to its active rule set; a rule of that set after them (the delivery it had before: a
// WorkMail action, an S3 pickup, an SNS topic) then ran for every held message, and delivered it. An outside sender
// whose impersonation, spoofed organization From or p=quarantine spoof guard-ses sends to Junk (or whose event no rule
// could read) reached the inbox all the same, untagged.
const stack = useTwinStack();
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const PROTECTED = { PROTECTED_NAMES: 'Jane Doe' };

let t: Template;
beforeAll(async () => {
  t = await loadTemplate(join(import.meta.dirname, '../../../template-ses.yaml'));
});

type Rule = { name: string; actions: Template[] };

// The receipt rule set as SES runs it for one message: the rules in order; in a rule, its actions in order. An S3
// action stores the message under its prefix; the RequestResponse Lambda action's answer is the guard's (CONTINUE runs
// the rule's next actions, STOP_RULE skips them and the next rule runs, STOP_RULE_SET ends the set); a Stop action of
// scope RuleSet ends the set. What the set stored, in order.
function runRuleSet(rules: readonly Rule[], answer: string): string[] {
  const stored: string[] = [];
  for (const rule of rules) {
    for (const action of rule.actions) {
      if (action.S3Action) stored.push(action.S3Action.ObjectKeyPrefix);
      else if (action.LambdaAction?.InvocationType === 'RequestResponse') {
        if (answer === 'STOP_RULE_SET') return stored;
        if (answer === 'STOP_RULE') break;
      } else if (action.StopAction) {
        if (action.StopAction.Scope === 'RuleSet') return stored;
        break;
      }
    }
  }
  return stored;
}

// wmflow's two rules added to a rule set the account already had, ahead of the delivery it had before (here an S3
// pickup under mailbox/; a WorkMail or SNS action alike).
function ruleSet(): Rule[] {
  const inbound = t.Resources.InboundRule.Properties;
  const quarantine = t.Resources.QuarantineRule.Properties;
  expect(quarantine.After).toEqual({ Ref: 'InboundRule' });
  return [
    { name: inbound.Rule.Name, actions: inbound.Rule.Actions },
    { name: quarantine.Rule.Name, actions: quarantine.Rule.Actions },
    { name: 'existing-delivery', actions: [{ S3Action: { ObjectKeyPrefix: 'mailbox/' } }] },
  ];
}

const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');

describe('A115-1: a message guard-ses holds runs no later rule of the set', () => {
  it('a protected name impersonated: held, quarantined, never delivered by a later rule', async () => {
    const { disposition } = await sesGuard(
      letter(['From: Jane Doe <jane.doe@evil.example>']),
      PASS,
      'x@evil.example',
      PROTECTED,
    );
    expect(disposition).toBe('STOP_RULE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'quarantine/']);
  });

  it('the organization From spoofed (DMARC FAIL under p=none): held, never delivered by a later rule', async () => {
    const { disposition } = await sesGuard(
      letter(['From: CEO <ceo@corp.example>']),
      { ...PASS, spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' },
      'x@evil.example',
    );
    expect(disposition).toBe('STOP_RULE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'quarantine/']);
  });

  it('a spoof of a p=quarantine domain: held, never delivered by a later rule', async () => {
    const { disposition } = await sesGuard(
      letter(['From: Billing <billing@bank.example>']),
      { ...PASS, spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', dmarcPolicy: 'quarantine' },
      'x@evil.example',
    );
    expect(disposition).toBe('STOP_RULE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'quarantine/']);
  });

  it('a spam FAIL (SPAM_ACTION=junk): held, never delivered by a later rule', async () => {
    const { disposition } = await sesGuard(
      letter(['From: Ann <ann@partner.example>']),
      { ...PASS, spam: 'FAIL' },
      'ann@partner.example',
    );
    expect(disposition).toBe('STOP_RULE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'quarantine/']);
  });

  it('an event no rule could read: held, never delivered by a later rule', async () => {
    const handler = guardSes({
      ORGANIZATION_DOMAINS: 'corp.example',
      STORED_BUCKET: 'inbound-mail',
      STORED_KEY_PREFIX: 'inbound/',
      BOUNCE_SENDER: 'postmaster@corp.example',
    });
    const { disposition } = (await handler({ Records: [{ eventSource: 'aws:ses' }] }, lambdaContext())) as {
      disposition: string;
    };
    expect(disposition).toBe('STOP_RULE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'quarantine/']);
  });

  it('the quarantine rule ends the rule set', () => {
    const actions: Template[] = t.Resources.QuarantineRule.Properties.Rule.Actions;
    expect(actions.at(-1)).toEqual({ StopAction: { Scope: 'RuleSet' } });
  });
});

describe('A115-1 controls', () => {
  it('ordinary mail: CONTINUE, delivered once by the inbound rule, no later rule runs', async () => {
    const { disposition } = await sesGuard(
      letter(['From: Ann <ann@partner.example>']),
      PASS,
      'ann@partner.example',
      PROTECTED,
    );
    expect(disposition).toBe('CONTINUE');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/', 'delivered/']);
  });

  it('an executable: bounced (STOP_RULE_SET), stored by the S3 action only', async () => {
    const exe = mail(
      ['From: Ann <ann@partner.example>', 'Content-Type: multipart/mixed; boundary="b"'],
      '--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="invoice.exe"\r\n\r\nMZ\r\n--b--\r\n',
    );
    const { disposition } = await sesGuard(exe, PASS, 'ann@partner.example');
    expect(disposition).toBe('STOP_RULE_SET');
    expect(runRuleSet(ruleSet(), disposition)).toEqual(['inbound/']);
  });
});

// Held (probed, passing before): SES's recipients as a sender may spell them at RCPT TO, against PILOT_RECIPIENTS;
// a cut header list (`headersTruncated`) read from the stored block; a `dmarcPolicy` given in another shape than SES's
// documented string (not known: junked, never delivered).
describe('A115 held probes', () => {
  const stored = stack;
  const exe = mail(
    ['From: Ann <ann@partner.example>', 'Content-Type: multipart/mixed; boundary="b"'],
    '--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="invoice.exe"\r\n\r\nMZ\r\n--b--\r\n',
  );
  async function answer(
    bytes: Buffer,
    recipients: string[],
    env: Record<string, string>,
    shape: (ses: { mail: Template; receipt: Template }) => void = () => {},
  ): Promise<string> {
    const handler = guardSes({
      ORGANIZATION_DOMAINS: 'corp.example',
      STORED_BUCKET: 'inbound-mail',
      STORED_KEY_PREFIX: 'inbound/',
      BOUNCE_SENDER: 'postmaster@corp.example',
      ...env,
    });
    const messageId = sesMessageId();
    await stored().s3.send(
      new PutObjectCommand({ Bucket: 'inbound-mail', Key: `inbound/${messageId}`, Body: bytes }),
    );
    stored().ses.receive(messageId);
    const text = bytes.toString('latin1');
    const headers = text
      .slice(0, text.indexOf('\r\n\r\n'))
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map((line) => ({
        name: line.slice(0, line.indexOf(':')),
        value: line.slice(line.indexOf(':') + 1).trim(),
      }));
    const event = makeSesEvent({ messageId, source: 'x@evil.example', recipients, headers, verdicts: PASS });
    shape(event.Records[0].ses as unknown as { mail: Template; receipt: Template });
    return ((await handler(event, lambdaContext())) as { disposition: string }).disposition;
  }

  for (const recipient of [
    'CEO@CORP.EXAMPLE',
    'ceo+x@corp.example',
    'ceo@corp.example.',
    '"ceo"@corp.example',
  ])
    it(`an executable to the pilot recipient written ${recipient}: bounced`, async () => {
      expect(await answer(exe, [recipient], { PILOT_RECIPIENTS: 'ceo@corp.example' })).toBe('STOP_RULE_SET');
    });

  it('a protected name on a cut header list: held', async () => {
    const m = letter(['From: Jane Doe <jane.doe@evil.example>']);
    const cut = (ses: { mail: Template }) => {
      ses.mail.headersTruncated = true;
    };
    expect(await answer(m, ['bob@corp.example'], PROTECTED, cut)).toBe('STOP_RULE');
  });

  it('a DMARC FAIL whose dmarcPolicy is an object: held, not delivered', async () => {
    const m = letter(['From: Billing <billing@bank.example>']);
    const shaped = (ses: { receipt: Template }) => {
      ses.receipt.dmarcVerdict = { status: 'FAIL' };
      ses.receipt.dmarcPolicy = { status: 'REJECT' };
    };
    expect(await answer(m, ['bob@corp.example'], {}, shaped)).toBe('STOP_RULE');
  });
});
