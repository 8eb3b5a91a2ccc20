import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { exeOrNote } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 107: a local part that routes on to a mailbox (`ceo%corp.example@corp.example`, the percent hack;
// `corp.example!ceo@corp.example`, a bang path; `"ceo@corp.example"@corp.example`, a quoted `@`). Round 75 counted
// such an address as outside the organization for the outbound checks, but a pilot group (`PILOT_RECIPIENTS`,
// `PILOT_SENDERS`) and `INTERNAL_ONLY_SENDERS` compared the spelling as written: an outside sender's executable to the
// pilot's `ceo` written routed fell outside the pilot and was delivered unchecked (by any relay honouring the form,
// to `ceo@`), and an internal-only sender writing its envelope sender routed was no internal-only sender.
const stack = useLocalStack();
const CRLF = '\r\n';
const BOB = 'bob@corp.example';

async function inbound(to: string, withExe = true) {
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: 'updates',
    PILOT_RECIPIENTS: 'ceo@corp.example',
  });
  const messageId = stack().flow.load(exeOrNote(withExe));
  const recipients = [to, BOB];
  const event = makeFlowEvent({ messageId, mailFrom: 'x@evil.example', recipients });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  const verdicts = readResponse(response, recipients, 'INBOUND').verdicts;
  return [verdicts.get(to)?.type, verdicts.get(BOB)?.type];
}

async function outbound(env: Record<string, string>, mailFrom: string, to = 'x@outside.example') {
  const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', ...env });
  const messageId = stack().flow.load(
    Buffer.from(`From: ${mailFrom}${CRLF}To: ${to}${CRLF}Subject: hi${CRLF}${CRLF}hello${CRLF}`),
  );
  const recipients = [to, BOB];
  const event = makeFlowEvent({ direction: 'OUTBOUND', messageId, mailFrom, recipients });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  const verdicts = readResponse(response, recipients, 'OUTBOUND').verdicts;
  return [verdicts.get(to)?.type, verdicts.get(BOB)?.type];
}

describe('A107-1: a pilot recipient written as a route', () => {
  for (const to of [
    'ceo%corp.example@corp.example',
    'CEO%Corp.Example@corp.example',
    'corp.example!ceo@corp.example',
    '"ceo@corp.example"@corp.example',
    'ceo%corp.example%relay.example@corp.example',
  ]) {
    it(`an executable to ${to} is checked as the pilot's ceo@`, async () => {
      expect((await inbound(to))[0]).toBe('BOUNCE');
    });
  }
  it('control: the pilot recipient itself is checked, others outside the pilot are not', async () => {
    expect(await inbound('ceo@corp.example')).toEqual(['BOUNCE', 'DEFAULT']);
  });
  it('control: ordinary mail to the pilot recipient and to a routed spelling of another mailbox is delivered', async () => {
    expect(await inbound('ceo@corp.example', false)).toEqual(['DEFAULT', 'DEFAULT']);
    expect(await inbound('ceo%partner.example@corp.example', false)).toEqual(['DEFAULT', 'DEFAULT']);
  });
});

describe('A107-1: an internal-only or pilot sender written as a route', () => {
  const KIOSK = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' };
  for (const from of ['kiosk%corp.example@corp.example', 'corp.example!kiosk@corp.example']) {
    it(`${from} is the internal-only sender`, async () => {
      expect(await outbound(KIOSK, from)).toEqual(['BOUNCE', 'DEFAULT']);
    });
    it(`${from} is in a pilot of kiosk@`, async () => {
      expect(await outbound({ ...KIOSK, PILOT_SENDERS: 'kiosk@corp.example' }, from)).toEqual([
        'BOUNCE',
        'DEFAULT',
      ]);
    });
  }
  it('control: other senders write out, the kiosk writes in', async () => {
    expect(await outbound(KIOSK, 'alice@corp.example')).toEqual(['DEFAULT', 'DEFAULT']);
    expect(await outbound(KIOSK, 'alice%corp.example@corp.example')).toEqual(['DEFAULT', 'DEFAULT']);
    expect(await outbound(KIOSK, 'kiosk@corp.example', 'carol@corp.example')).toEqual(['DEFAULT', 'DEFAULT']);
  });
});
