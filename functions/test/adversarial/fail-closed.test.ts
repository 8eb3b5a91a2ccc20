import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, mimeAttached, mimeMultipart, mimePart } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { hostileCases } from './hostile.js';
import { useLocalStack } from './stack.js';

// docs/threat-model.md, "Fail-closed protections": a protection that cannot read the message blocks it.

const stack = useLocalStack();

const CRLF = '\r\n';
const CARD = '4111 1111 1111 1111';
const HEAD = [
  'From: Dan <dan@corp.example>',
  'To: orders@shop.example',
  'Subject: booking',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Message-ID: <booking@corp.example>',
  'MIME-Version: 1.0',
];
const text = (body: string) => mimePart(['Content-Type: text/plain; charset=us-ascii'], body);
const mixed = mimeMultipart;
const attach = (entity: string) => mimeAttached(entity);

/** Outbound messages whose card number sits where the detector cannot read it. */
function unreadable(): [string, string][] {
  let deep = mixed('d0', [text(`card ${CARD}`)]);
  for (let i = 1; i <= 31; i++) deep = mixed(`d${i}`, [deep]);
  let attached = mixed('a0', [text(`card ${CARD}`)]);
  for (let i = 1; i <= 4; i++) attached = mixed(`a${i}`, [text('see attached'), attach(attached)]);
  return [
    [
      'a card number in part 1 of 1,002 parts',
      mixed('p', [text(`card ${CARD}`), ...Array.from({ length: 1001 }, () => text(''))]),
    ],
    ['a card number under 31 nesting levels', deep],
    ['a card number four attached messages deep', attached],
    ['a header block over 1 MiB', `X-Pad: ${'c'.repeat(1100 * 1024)}${CRLF}${text(`card ${CARD}`)}`],
  ];
}

async function outbound(entity: string, recipients: string[]) {
  const messageId = stack().flow.load(Buffer.from([...HEAD, entity].join(CRLF)));
  const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example' });
  const event = makeFlowEvent({ messageId, direction: 'OUTBOUND', mailFrom: 'dan@corp.example', recipients });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  return readResponse(response, recipients, 'OUTBOUND').verdicts;
}

describe('adversarial: fail-closed protections at their defaults', () => {
  it.each(unreadable())('outbound-policy bounces %s', async (_name, entity) => {
    const verdicts = await outbound(entity, ['orders@shop.example']);
    expect(verdicts.get('orders@shop.example')?.type).toBe('BOUNCE');
  });

  it('outbound-policy still lets readable clean mail out', async () => {
    const verdicts = await outbound(text('see you at noon'), ['orders@shop.example']);
    expect(verdicts.get('orders@shop.example')?.type).toBe('DEFAULT');
  });

  it('the guard in audit mode changes nothing, even when a rule cannot decide', async () => {
    const over = hostileCases().find((c) => c.name.includes('header block over 1 MiB'));
    const messageId = stack().flow.load(over?.message ?? Buffer.alloc(0));
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: 'updates',
      AUDIT_MODE: 'true',
    });
    const event = makeFlowEvent({ messageId, mailFrom: 'a@evil.example', recipients: ['bob@corp.example'] });
    const response = (await handler(event, lambdaContext())) as FlowResponse;
    expect(
      readResponse(response, ['bob@corp.example'], 'INBOUND').verdicts.get('bob@corp.example')?.type,
    ).toBe('DEFAULT');
  });
});
