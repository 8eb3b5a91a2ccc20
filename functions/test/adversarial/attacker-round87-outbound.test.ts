import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 87: outbound-policy's controls other than the plain-text card and IBAN matching. Found: the
// mandatory disclaimer (`DISCLAIMER_EXTERNAL_ONLY`, on by default) was left off mail whose event was truncated
// and listed only internal recipients: the recipients WorkMail cut from the event may be outside, and they got
// the message without it (hasExternalRecipient, which the DLP's external scope asks, already counted such an event
// as leaving). Held (probed, already refused or rightly delivered): the kiosk's outside recipients in every
// spelling a relay could route out, and DLP in vCards, calendar invitations, spreadsheets and file names.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DISCLAIMER = 'Confidential: Corp disclaimer r87.';
const KIOSK = { INTERNAL_ONLY_SENDERS: 'kiosk@corp.example', SENSITIVE_DATA: 'false' };

/** Runs outbound-policy over `message` and `recipients`; each recipient's verdict and the message as sent. */
async function send(
  message: Buffer,
  recipients: readonly string[],
  env: Record<string, string>,
  event: { mailFrom?: string; truncated?: boolean } = {},
) {
  const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', ...env });
  const messageId = stack().flow.load(message);
  const response = (await handler(
    makeFlowEvent({ messageId, direction: 'OUTBOUND', mailFrom: 'bob@corp.example', recipients, ...event }),
    lambdaContext(),
  )) as FlowResponse;
  const verdicts = readResponse(response, recipients, 'OUTBOUND').verdicts;
  const sent = stack().flow.history(messageId).at(-1)?.content.toString('utf-8') ?? '';
  return { verdict: (r: string) => verdicts.get(r)?.type, sent };
}

const note = (from = 'bob@corp.example') =>
  mail([`From: ${from}`, 'Content-Type: text/plain; charset=utf-8'], 'See you at the meeting.\r\n');

describe('A87-1: the disclaimer on an event WorkMail truncated', () => {
  const env = { DISCLAIMER_TEXT: DISCLAIMER, UPDATES_BUCKET: 'updates' };
  it('adds the disclaimer when the truncated event lists only internal recipients', async () => {
    const { verdict, sent } = await send(note(), ['alice@corp.example'], env, { truncated: true });
    expect(verdict('alice@corp.example')).toBe('DEFAULT');
    expect(sent).toContain(DISCLAIMER);
  });
  it('adds it for a truncated event with SENSITIVE_DATA off too', async () => {
    const { sent } = await send(note(), ['alice@corp.example', 'carol@corp.example'], {
      ...env,
      SENSITIVE_DATA: 'false',
    });
    expect(sent).not.toContain(DISCLAIMER);
    const truncated = await send(
      note(),
      ['alice@corp.example', 'carol@corp.example'],
      {
        ...env,
        SENSITIVE_DATA: 'false',
      },
      { truncated: true },
    );
    expect(truncated.sent).toContain(DISCLAIMER);
  });
  it('benign: internal mail whose event is whole gets no disclaimer; outside mail gets it', async () => {
    expect((await send(note(), ['alice@corp.example'], env)).sent).not.toContain(DISCLAIMER);
    expect((await send(note(), ['x@outside.example'], env)).sent).toContain(DISCLAIMER);
  });
});

describe('held: the kiosk (internal-only) and what leaves', () => {
  // A spelling a relay may route out, or that names another domain, is outside; a spelling of the organization's
  // own domain (case, trailing dot, the IDNA mapping DNS resolves it by) reaches only the organization.
  const outside = [
    'x@outside.example',
    'x%outside.example@corp.example',
    'outside.example!x@corp.example',
    '"x@outside.example"@corp.example',
    'x@[192.0.2.1]',
    'x@corp.example.outside.example',
    'x@corp.exampl\u0435',
    'x@xn--corp-.example',
  ];
  for (const r of outside)
    it(`bounces the kiosk's mail to ${JSON.stringify(r)}`, async () => {
      const { verdict } = await send(note('kiosk@corp.example'), [r, 'alice@corp.example'], KIOSK, {
        mailFrom: 'kiosk@corp.example',
      });
      expect([verdict(r), verdict('alice@corp.example')]).toEqual(['BOUNCE', 'DEFAULT']);
    });
  it('bounces the kiosk writing from a sub-address or on behalf, and a Bcc-only outside recipient', async () => {
    for (const mailFrom of ['kiosk+x@corp.example', 'KIOSK@CORP.EXAMPLE'])
      expect(
        (await send(note(), ['x@outside.example'], KIOSK, { mailFrom })).verdict('x@outside.example'),
      ).toBe('BOUNCE');
    // The headers name only alice; the envelope (Bcc) adds the outside one.
    const bcc = await send(note('kiosk@corp.example'), ['alice@corp.example', 'y@outside.example'], KIOSK, {
      mailFrom: 'kiosk@corp.example',
    });
    expect([bcc.verdict('alice@corp.example'), bcc.verdict('y@outside.example')]).toEqual([
      'DEFAULT',
      'BOUNCE',
    ]);
  });
  it('bounces every recipient of a truncated event from the kiosk', async () => {
    const { verdict } = await send(note('kiosk@corp.example'), ['alice@corp.example'], KIOSK, {
      mailFrom: 'kiosk@corp.example',
      truncated: true,
    });
    expect(verdict('alice@corp.example')).toBe('BOUNCE');
  });
  it('benign: the kiosk writing inside is delivered, in every spelling of the organization domain', async () => {
    const inside = [
      'alice@corp.example',
      'Alice@CORP.EXAMPLE',
      'alice@corp.example.',
      '"alice"@corp.example',
      'alice+tag@corp.example',
      'alice@\uff43\uff4f\uff52\uff50.example',
      // Its root dot written as an ideographic full stop maps to `corp.example.` (attacker round 114; round 87 held
      // it outside, as the trailing dot was cut before the mapping).
      'alice@corp.example\u3002',
    ];
    const { verdict } = await send(note('kiosk@corp.example'), inside, KIOSK, {
      mailFrom: 'kiosk@corp.example',
    });
    expect(inside.map(verdict)).toEqual(inside.map(() => 'DEFAULT'));
  });
});

describe('held: cards in attachments a recipient opens', () => {
  const found = async (name: string, file: Buffer, type: string) => {
    const v = await kit.outboundVerdict(outboundFile(name, file, type));
    return v?.type === 'BOUNCE' && v.message.includes('contains payment card');
  };
  const qp = (s: string) => [...s].map((c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
  const ics = (line: string) =>
    Buffer.from(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`);
  const xlsx = (cells: string) =>
    zipFile([
      {
        name: 'xl/workbook.xml',
        data: '<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: `<worksheet><sheetData><row r="1">${cells}</row></sheetData></worksheet>`,
      },
    ]);
  const cases: Record<string, [string, Buffer, string]> = {
    'a vCard 2.1 note in quoted-printable': [
      'jane.vcf',
      Buffer.from(
        `BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:${qp('4111 1111 1111 1111')}\r\nEND:VCARD\r\n`,
      ),
      'text/vcard',
    ],
    'a vCard 3.0 note in base64': [
      'jane.vcf',
      Buffer.from(
        `BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE;ENCODING=b:${Buffer.from('card 4111 1111 1111 1111').toString('base64')}\r\nEND:VCARD\r\n`,
      ),
      'text/vcard',
    ],
    'an invitation description folded mid-group': [
      'invite.ics',
      ics('DESCRIPTION:card 4111 1111 11\r\n 11 1111'),
      'text/calendar',
    ],
    'an invitation description in escaped lines': [
      'invite.ics',
      ics('DESCRIPTION:card\\n4111\\n1111\\n1111\\n1111'),
      'text/calendar',
    ],
    'an invitation HTML description': [
      'invite.ics',
      ics('X-ALT-DESC;FMTTYPE=text/html:<p>4111<b></b>1111 1111 1111</p>'),
      'text/calendar',
    ],
    'a spreadsheet cell in scientific notation': [
      's.xlsx',
      xlsx('<c r="A1" s="1"><v>3.40000000000009E+14</v></c>'),
      'application/octet-stream',
    ],
    'a card split over four cells': [
      's.xlsx',
      xlsx(
        '<c r="A1"><v>4111</v></c><c r="B1"><v>1111</v></c><c r="C1"><v>1111</v></c><c r="D1"><v>1111</v></c>',
      ),
      'application/octet-stream',
    ],
    'a card in a file name': ['card 4111 1111 1111 1111.txt', Buffer.from('hi'), 'text/plain'],
  };
  for (const [what, [name, file, type]] of Object.entries(cases))
    it(`bounces ${what}`, async () => {
      expect(await found(name, file, type)).toBe(true);
    });
  it('benign: a spreadsheet of order numbers and an invitation with a dial-in are sent', async () => {
    const orders = xlsx('<c r="A1"><v>20260042</v></c><c r="B1"><v>1234.5</v></c><c r="C1"><v>4111</v></c>');
    expect(await kit.outbound(outboundFile('orders.xlsx', orders))).toBe('DEFAULT');
    const invite = ics('DESCRIPTION:Dial-in +44 20 7946 0958\\, PIN 4111 1111#\\nOrder 2026-0042');
    expect(await kit.outbound(outboundFile('invite.ics', invite, 'text/calendar'))).toBe('DEFAULT');
  });
});
