import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowResponse, readResponse } from '@wmflow/core';
import {
  lambdaContext,
  makeFlowEvent,
  makeSesEvent,
  type SesReceiptVerdicts,
  sesMessageId,
} from '@wmflow/core/testing';
import { DEFAULT_RATE_TABLE } from '@wmflow/local';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { attackerKit, exeOrNote, mail } from './attacker-kit.js';
import { guardRateSender, storm } from './guard-rate-send.js';
import { useLocalStack } from './stack.js';

// Attacker round 114 (addresses): an organization domain written with its root dot as a character IDNA maps to a dot
// (`corp.example。` U+3002, `corp.example．` U+FF0E, `corp.example｡` U+FF61, or a dot then a soft hyphen, which the
// mapping drops). Core's `normalizeDomain` cut an ASCII trailing dot before the IDNA mapping, so these came out as
// `corp.example.` (a trailing dot kept) and were another domain than `corp.example`: not the organization's, not a
// listed mailbox, a counter of their own. A resolver maps them as the ASCII spelling `corp.example.` (RFC 3490 3.1,
// UTS 46), the organization's own FQDN, which the library already reads as `corp.example`; and a reader sees the
// organization's address with a full stop after it. The mapped dot is now cut as the ASCII one is
// (packages/core/src/address.ts).
const stack = useLocalStack(['updates', 'inbound-mail']);
const kit = attackerKit(stack);
const send = guardRateSender(stack, 'r114');

// The organization domain's root dot in the spellings IDNA maps to a dot.
const ROOT_DOTS: Record<string, string> = {
  'an ideographic full stop': 'corp.example\u3002',
  'a full-width full stop': 'corp.example\uff0e',
  'a half-width ideographic full stop': 'corp.example\uff61',
  'a dot then a soft hyphen': 'corp.example.\u00ad',
};

describe('A114-1: STORM_GROUPS and a per-recipient limit count the mapped root dot as the mailbox', () => {
  let i = 0;
  for (const [label, domain] of Object.entries(ROOT_DOTS)) {
    const group = `dotted-staff${i++}`;
    it(`bounces the third message to the group written with ${label}`, async () => {
      const env = storm(`${group}@corp.example`);
      const verdicts = [];
      for (const r of [`${group}@${domain}`, `${group}@${domain}`, `${group}@${domain}`])
        verdicts.push((await send(env, [r]))[0]);
      expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE']);
    });
  }
  it('a per-recipient limit counts ceo@corp.example and ceo@corp.example\uff0e as one mailbox', async () => {
    const env = {
      RATE_LIMITS: JSON.stringify([{ key: 'recipient', limit: 2, window: '1h', action: 'junk' }]),
    };
    const verdicts = [];
    for (const r of ['ceo114@corp.example', 'ceo114@corp.example\uff0e', 'ceo114@corp.example\u3002'])
      verdicts.push((await send(env, [r]))[0]);
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'MOVE_TO_JUNK']);
  });
  it('benign: another domain ending in a mapped dot is not the group; the group under its threshold is delivered', async () => {
    const env = storm('calm-staff@corp.example');
    expect(await send(env, ['calm-staff@corp.example'])).toEqual(['DEFAULT']);
    expect(
      await send(env, [
        'calm-staff@other.example\u3002',
        'calm-staff@corp.example.other\uff0e',
        'bob@corp.example',
      ]),
    ).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
    expect(await send(env, ['calm-staff@corp.example\uff0e'])).toEqual(['DEFAULT']);
  });
});

/** outbound-policy's verdict for each recipient of a note from `mailFrom`. */
async function outbound(env: Record<string, string>, mailFrom: string, recipients: string[]) {
  const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', SENSITIVE_DATA: 'false', ...env });
  const messageId = stack().flow.load(
    mail([`From: ${mailFrom}`, 'Content-Type: text/plain'], 'See you at the meeting.\r\n'),
  );
  const response = (await handler(
    makeFlowEvent({ messageId, direction: 'OUTBOUND', mailFrom, recipients }),
    lambdaContext(),
  )) as FlowResponse;
  const verdicts = readResponse(response, recipients, 'OUTBOUND').verdicts;
  return recipients.map((r) => verdicts.get(r)?.type);
}

describe('A114-2: the internal-only kiosk and a per-sender limit, MAIL FROM with a mapped root dot', () => {
  const KIOSK = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' };
  for (const [label, domain] of Object.entries(ROOT_DOTS))
    it(`bounces the kiosk's outside mail written from ${label}`, async () => {
      expect(await outbound(KIOSK, `kiosk@${domain}`, ['x@outside.example', 'alice@corp.example'])).toEqual([
        'BOUNCE',
        'DEFAULT',
      ]);
    });
  it('a per-sender limit counts alice@corp.example\uff0e as alice@corp.example', async () => {
    const env = {
      RATE_TABLE: DEFAULT_RATE_TABLE,
      RATE_LIMITS: JSON.stringify([{ key: 'sender', limit: 2, window: '1h' }]),
    };
    const verdicts = [];
    for (const from of [
      'alice114@corp.example',
      'alice114@corp.example\uff0e',
      'alice114@corp.example\u3002',
    ])
      verdicts.push((await outbound(env, from, ['x@outside.example']))[0]);
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE']);
  });
  it('benign: another sender is not the kiosk; the kiosk writes inside in these spellings', async () => {
    expect(await outbound(KIOSK, 'kiosk@corp.example.other\uff0e', ['x@outside.example'])).toEqual([
      'DEFAULT',
    ]);
    expect(
      await outbound(KIOSK, 'kiosk@corp.example', ['alice@corp.example\u3002', 'bob@corp.example']),
    ).toEqual(['DEFAULT', 'DEFAULT']);
  });
});

// Held: the WorkMail guard already junked these before the fix (its impersonation readings); kept beside A114-4,
// where guard-ses delivered them.
describe('held (A114-3): the organization address with a mapped root dot, shown as the sender of outside mail', () => {
  const ENV = { PROTECTED_NAMES: 'Jane Doe' };
  const letter = (head: string[]) =>
    mail([...head, 'Content-Type: text/plain'], 'Please update your bank details today.');
  for (const [label, domain] of Object.entries(ROOT_DOTS)) {
    it(`junks outside mail whose Sender is payroll@ with ${label} (WorkMail)`, async () => {
      const head = ['From: Ann <ann@evil.example>', `Sender: payroll@${domain}`];
      expect((await kit.inbound(letter(head), ENV)).verdict).toBe('MOVE_TO_JUNK');
    });
    it(`junks a From payroll@ with ${label} where DMARC failed for the organization (WorkMail)`, async () => {
      const head = [
        'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=corp.example',
        `From: Payroll <payroll@${domain}>`,
      ];
      expect((await kit.inbound(letter(head), ENV)).verdict).toBe('MOVE_TO_JUNK');
    });
  }
  it('benign: a partner as From and Sender is delivered (WorkMail)', async () => {
    const head = ['From: Ann <ann@partner.example>', 'Sender: ann@partner.example\uff0e'];
    expect((await kit.inbound(letter(head), ENV)).verdict).toBe('DEFAULT');
  });
});

/** guard-ses's answer for a message from `from`, with these receipt verdicts. */
async function ses(from: string, verdicts: SesReceiptVerdicts = {}) {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: 'inbound-mail',
    STORED_KEY_PREFIX: 'inbound/',
    BOUNCE_SENDER: 'postmaster@corp.example',
  });
  const messageId = sesMessageId();
  const bytes = mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please update your bank details today.');
  await stack().s3.send(
    new PutObjectCommand({ Bucket: 'inbound-mail', Key: `inbound/${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const event = makeSesEvent({
    messageId,
    source: 'x@evil.example',
    recipients: ['bob@corp.example'],
    headers: [
      { name: 'From', value: from },
      { name: 'Content-Type', value: 'text/plain' },
    ],
    verdicts,
  });
  return ((await handler(event, lambdaContext())) as { disposition: string }).disposition;
}

describe('A114-4: guard-ses (cannot tag) quarantines the organization From with a mapped root dot', () => {
  for (const [label, domain] of Object.entries(ROOT_DOTS))
    it(`quarantines Payroll <payroll@…> with ${label}`, async () => {
      expect(await ses(`Payroll <payroll@${domain}>`)).toBe('STOP_RULE');
    });
  it('benign: a partner From, with a mapped root dot too, continues', async () => {
    expect(await ses('Ann <ann@partner.example>')).toBe('CONTINUE');
    expect(await ses('Ann <ann@partner.example\u3002>')).toBe('CONTINUE');
  });
});

describe('A114-5: a pilot recipient written with a mapped root dot is in the pilot', () => {
  async function pilot(to: string) {
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: 'updates',
      PILOT_RECIPIENTS: 'ceo@corp.example',
    });
    const messageId = stack().flow.load(exeOrNote(true));
    const recipients = [to, 'bob@corp.example'];
    const event = makeFlowEvent({ messageId, mailFrom: 'x@evil.example', recipients });
    const response = (await handler(event, lambdaContext())) as FlowResponse;
    const verdicts = readResponse(response, recipients, 'INBOUND').verdicts;
    return recipients.map((r) => verdicts.get(r)?.type);
  }
  for (const [label, domain] of Object.entries(ROOT_DOTS))
    it(`bounces an executable to the pilot's ceo written with ${label}`, async () => {
      expect(await pilot(`ceo@${domain}`)).toEqual(['BOUNCE', 'DEFAULT']);
    });
  it('benign: the pilot as written is checked; another mailbox with a mapped root dot is not in it', async () => {
    expect(await pilot('ceo@corp.example')).toEqual(['BOUNCE', 'DEFAULT']);
    expect(await pilot('cfo@corp.example\u3002')).toEqual(['DEFAULT', 'DEFAULT']);
  });
});
