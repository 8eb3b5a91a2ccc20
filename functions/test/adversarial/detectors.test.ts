import { type FlowHandler, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';

// Each evasion of issue 13 as a crafted message, run through the prebuilt functions at their defaults
// over the local Message Flow emulator and S3 server.
let stack: LocalStack;
let policy: FlowHandler;
let guarded: FlowHandler;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['updates'] });
  Object.assign(process.env, stack.env, { POWERTOOLS_LOG_LEVEL: 'SILENT' }); // the handlers' log lines stay out of the test output
  const base = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates' };
  policy = outboundPolicy(base);
  guarded = guard({ ...base, PROTECTED_NAMES: 'Jane Doe' });
}, 60_000);
afterAll(() => stack.stop());

const CARD = '4111 1111 1111 1111';
const IBAN = 'GB82 WEST 1234 5698 7654 32';

function mail(head: string[], body: string): Buffer {
  return Buffer.from([...head, '', body, ''].join('\r\n'), 'utf-8');
}

const OUT_HEAD = [
  'From: Bob <bob@corp.example>',
  'To: x@outside.example',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Subject: notes',
  'MIME-Version: 1.0',
];

async function run(handler: FlowHandler, message: Buffer, event: Parameters<typeof makeFlowEvent>[0]) {
  const messageId = stack.flow.load(message);
  const e = makeFlowEvent({ messageId, ...event });
  const response = await handler(e, lambdaContext());
  const read = readResponse(
    response as never,
    e.envelope.recipients.map((r) => r.address),
    e.flowDirection,
  );
  const verdict = read.verdicts.get(e.envelope.recipients[0]?.address ?? '')?.type ?? 'DEFAULT';
  return {
    verdict,
    // quoted-printable soft line breaks undone, so assertions read the text
    latest: (stack.flow.history(messageId).at(-1)?.content.toString('latin1') ?? '').replace(/=\r\n/g, ''),
    versions: stack.flow.history(messageId).length,
  };
}

const outbound = {
  direction: 'OUTBOUND' as const,
  mailFrom: 'bob@corp.example',
  recipients: ['x@outside.example'],
};

describe('outbound-policy at defaults: DLP evasions are bounced', () => {
  const multipart = (parts: string[]) =>
    mail(
      [...OUT_HEAD, 'Content-Type: multipart/mixed; boundary="b"'],
      [...parts.map((p) => `--b\r\n${p}`), '--b--'].join('\r\n'),
    );
  const cases: Record<string, Buffer> = {
    'non-breaking spaces (quoted-printable =C2=A0)': mail(
      [...OUT_HEAD, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
      'card 4111=C2=A01111=C2=A01111=C2=A01111',
    ),
    'raw U+00A0 in an HTML alternative': multipart([
      'Content-Type: text/plain\r\n\r\nsee the html',
      'Content-Type: text/html; charset=utf-8\r\n\r\n<p>4111\u00a01111\u00a01111&nbsp;1111</p>',
    ]),
    'double spaces': mail([...OUT_HEAD, 'Content-Type: text/plain'], '4111  1111  1111  1111'),
    'dots as separators': mail([...OUT_HEAD, 'Content-Type: text/plain'], '4111.1111.1111.1111'),
    'a number wrapped across a line break': mail(
      [...OUT_HEAD, 'Content-Type: text/plain'],
      'my card is 4111 1111\r\n1111 1111 ok',
    ),
    'full-width digits': mail(
      [...OUT_HEAD, 'Content-Type: text/plain; charset=utf-8'],
      '\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11',
    ),
    'an IBAN with non-breaking spaces': mail(
      [...OUT_HEAD, 'Content-Type: text/plain; charset=utf-8'],
      IBAN.replaceAll(' ', '\u00a0'),
    ),
    'an IBAN in lower case with dashes': mail(
      [...OUT_HEAD, 'Content-Type: text/plain'],
      IBAN.toLowerCase().replaceAll(' ', '-'),
    ),
    'a card in a forwarded message (message/rfc822, base64)': multipart([
      'Content-Type: text/plain\r\n\r\nforwarding',
      `Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`Subject: fwd\r\n\r\ncard ${CARD}\r\n`).toString('base64')}`,
    ]),
    'a card in a CSV attachment': multipart([
      'Content-Type: text/plain\r\n\r\nsee attached',
      `Content-Type: application/octet-stream; name="cards.csv"\r\nContent-Disposition: attachment; filename="cards.csv"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64')}`,
    ]),
    'a card after character 256 of the Subject': mail(
      [
        ...OUT_HEAD.filter((h) => !h.startsWith('Subject')),
        `Subject: ${'x '.repeat(140)}${CARD}`,
        'Content-Type: text/plain',
      ],
      'hi',
    ),
    'a card in the To display name': mail(
      [
        ...OUT_HEAD.filter((h) => !h.startsWith('To')),
        `To: "${CARD}" <x@outside.example>`,
        'Content-Type: text/plain',
      ],
      'hi',
    ),
    'a card in an X- header': mail([...OUT_HEAD, `X-Note: ${CARD}`, 'Content-Type: text/plain'], 'hi'),
    'a card in an attachment name': multipart([
      'Content-Type: text/plain\r\n\r\nsee attached',
      `Content-Type: image/png; name="${CARD}.png"\r\nContent-Disposition: attachment; filename="${CARD}.png"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=`,
    ]),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(`bounces ${name}`, async () => {
      const r = await run(policy, message, outbound);
      expect(r.verdict).toBe('BOUNCE');
    });
  }

  it('bounces a truncated event even when the listed recipients are all inside', async () => {
    const r = await run(policy, mail([...OUT_HEAD, 'Content-Type: text/plain'], `card ${CARD}`), {
      ...outbound,
      recipients: ['ann@corp.example'],
      truncated: true,
    });
    expect(r.verdict).toBe('BOUNCE');
  });

  it('lets ordinary numbers through (order, phone, date)', async () => {
    const r = await run(
      policy,
      mail(
        [...OUT_HEAD, 'Content-Type: text/plain'],
        'order 2024-05-17/0042, call +44 20 7946 0958, ref 4111-2222',
      ),
      outbound,
    );
    expect(r.verdict).toBe('DEFAULT');
  });
});

const IN_HEAD = [
  'To: ann@corp.example',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Subject: invoice',
  'Content-Type: text/plain',
];
const inbound = { mailFrom: 'x@evil.example', recipients: ['ann@corp.example'] };

describe('guard at defaults: impersonation evasions go to Junk', () => {
  const cases: Record<string, string[]> = {
    'a second From mailbox': ['From: Billing <bill@evil.example>, Jane Doe <jd@evil.example>'],
    'a display name written as an address': ['From: "Jane.Doe@corp.example" <x@evil.example>'],
    'a Latin alpha': ['From: J\u0251ne Doe <x@evil.example>'],
    'spaced letters': ['From: "J a n e  D o e" <x@evil.example>'],
    'a Reply-To carrying the name': [
      'From: Accounts <a@evil.example>',
      'Reply-To: Jane Doe <jd@evil.example>',
    ],
    'a spoofed own domain with spf=fail dmarc=fail': [
      'Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=corp.example; dmarc=fail header.from=corp.example',
      'From: Jane Doe <jane@corp.example>',
    ],
  };
  for (const [name, head] of Object.entries(cases)) {
    it(`junks ${name}`, async () => {
      const r = await run(guarded, mail([...head, ...IN_HEAD], 'Please pay today.'), inbound);
      expect(r.verdict).toBe('MOVE_TO_JUNK');
    });
  }

  it('never flags the protected person writing from the real, authenticated address', async () => {
    const head = [
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=corp.example; dkim=pass header.d=corp.example; dmarc=pass header.from=corp.example',
      'From: Jane Doe <jane@corp.example>',
    ];
    const r = await run(guarded, mail([...head, ...IN_HEAD], 'Lunch?'), {
      mailFrom: 'jane@corp.example',
      recipients: ['ann@corp.example'],
    });
    expect(r.verdict).toBe('DEFAULT');
    expect(r.versions).toBe(1); // inside: no tag, no banner
  });
});

describe('guard at defaults: the outside banner cannot be suppressed by the sender', () => {
  const from = 'From: Sam <sam@outside.example>';
  const cases: Record<string, string[]> = {
    'a forged X-Wmflow-External header': [
      from,
      'X-Wmflow-External: true',
      'X-Wmflow-External-Seal: 00000000000000000000000000000000',
    ],
    'the banner text in the body': [from],
    'no Date header': [from, 'To: ann@corp.example', 'Subject: invoice', 'Content-Type: text/plain'],
    // With dmarc=fail for the organization's domain the spoof goes to Junk instead (attacker round 72).
    'a spoofed own-domain MAIL FROM (spf=fail, no DMARC record)': [
      'Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=corp.example; dmarc=none header.from=corp.example',
      'From: IT <it@corp.example>',
    ],
    'a <body in a comment before the real one': [from],
  };
  const bodies: Record<string, string> = {
    'the banner text in the body':
      'This message came from outside the organization. Do not click links or open attachments unless you recognise the sender and know the content is safe.',
  };
  for (const [name, head] of Object.entries(cases)) {
    it(`tags and banners mail with ${name}`, async () => {
      const headers = name === 'no Date header' ? head : [...head, ...IN_HEAD];
      const message =
        name === 'a <body in a comment before the real one'
          ? mail(
              [...head, ...IN_HEAD.slice(0, 3), 'Content-Type: text/html'],
              '<!-- <body> --><html><body><p>Hi</p></body></html>',
            )
          : mail(headers, bodies[name] ?? 'hello');
      const r = await run(guarded, message, {
        ...inbound,
        mailFrom: name.includes('spoofed') ? 'it@corp.example' : 'sam@outside.example',
      });
      expect(r.versions).toBe(2);
      expect(r.latest).toMatch(/^Subject: \[EXTERNAL\]/m);
      expect(r.latest).toMatch(/^X-Wmflow-External-Seal: (?!0{32})[0-9a-f]{32}$/m);
      expect(r.latest.match(/^X-Wmflow-External:/gm)).toHaveLength(1);
      expect(r.latest.match(/came from outside the organization/g)?.length ?? 0).toBeGreaterThanOrEqual(
        name.includes('banner text') ? 2 : 1,
      );
      if (name.startsWith('a <body'))
        expect(r.latest.replace(/=\r?\n/g, '').replaceAll('=3D', '=')).toMatch(
          /<!-- <body> --><html><body style="[^"]*"><div style=/, // the body's layout pinned (round 95)
        );
    });
  }
});
