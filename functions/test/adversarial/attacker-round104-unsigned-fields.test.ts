import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { type DkimSigner, dkimResults, dkimSign } from './dkim-signing.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 104 (guard-ses): round 91's exception delivers, untagged, mail shown as the organization's when the
// receipt's DMARC passed (rounds 92 and 103 narrowed it). An outside sender replaying a message the organization
// signed (an employee's reply to the attacker) can add a field the signature's `h=` does not list: the signature, and
// DMARC on it, still pass, and the client shows the field (Outlook's `Thread-Topic` conversation heading, an
// `In-Reply-To` threading the replay into an inside conversation, a `Reply-To`, a `Cc`, read-receipt and importance
// requests). The messages below are signed with a real key (relaxed/relaxed, as Google Workspace, SES and
// Microsoft 365 sign) and checked to verify after the replay's additions, as SES would find them; SES's receipt gives
// the verdicts only, so the guard is handed DMARC PASS. The exception now needs SPF for an organization envelope (its
// own servers), or every signature that may be the aligned one listing each shown field present, no `l=`, no past
// `x=`.
const stack = useTwinStack();
const sesGuard = sesGuardKit(stack);
const CRLF = '\r\n';
// The d= of each signature that verifies over `bytes` (the helper's key stands for every signer's).
const verifiedDomains = (bytes: Buffer) =>
  dkimResults(bytes)
    .filter((r) => r.verified)
    .map((r) => r.d);
const sign = dkimSign;

// An employee's reply to the attacker, as the organization's mail service sends it.
const HEAD = [
  'From: Ann Lee <ann@corp.example>',
  'To: mallory@evil.example',
  'Subject: Re: invoice 4411',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Message-ID: <ann-1@corp.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
];
const BODY = `Thanks, we will look at it.${CRLF}`;
// Which fields each service lists in h= (for the fields the message carries).
const GOOGLE: readonly string[] = ['mime-version', 'from', 'date', 'message-id', 'subject', 'to'];
const SES: readonly string[] = [
  'Subject',
  'From',
  'To',
  'Date',
  'Mime-Version',
  'Content-Type',
  'Message-Id',
];
const M365: readonly string[] = [
  'From',
  'Date',
  'Subject',
  'Message-ID',
  'Content-Type',
  'MIME-Version',
  'X-MS-Exchange-SenderADCheck',
];
const M365_HEAD = [
  ...HEAD,
  'Thread-Topic: invoice 4411',
  'Thread-Index: AQHbQ2vXyZ1234567890abcdefAAAA==',
  'X-MS-Exchange-SenderADCheck: 1',
];

const signed = (signers: readonly DkimSigner[], head = HEAD, body = BODY) => [
  ...signers.map((s) => sign(head, body, s)),
  ...head,
];
const message = (added: readonly string[], head: readonly string[], body = BODY) =>
  Buffer.from([...added, ...head, '', body].join(CRLF), 'utf-8');

const PASSED: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };
const ATTACKER = 'x@evil.example';

const GOOGLE_SIGNED = signed([{ d: 'corp.example', h: GOOGLE }]);
const ADDED: Record<string, string[]> = {
  'a Thread-Topic (Outlook conversation heading)': [
    'Thread-Topic: Urgent: wire the payment today',
    'Thread-Index: AdoAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
  ],
  'an In-Reply-To and References threading it into an inside conversation': [
    'In-Reply-To: <ceo-wire-1@corp.example>',
    'References: <ceo-wire-1@corp.example>',
  ],
  'a Reply-To the signer did not sign': ['Reply-To: Ann Lee <pay@evil.example>'],
  'a Cc': ['Cc: Chief Financial Officer <cfo@corp.example>'],
  'a Disposition-Notification-To': ['Disposition-Notification-To: pay@evil.example'],
  'an Importance and X-Priority': ['Importance: high', 'X-Priority: 1'],
  'an X-MS-Exchange-Organization header': ['X-MS-Exchange-Organization-SCL: -1'],
  'a Thread-Topic in capitals, folded': ['THREAD-TOPIC:', ' Urgent: wire the payment today'],
};

describe('A104-1: a field the organization signature does not list, added to its replayed message (guard-ses)', () => {
  for (const [label, added] of Object.entries(ADDED))
    it(`holds the Google Workspace-signed replay with ${label}`, async () => {
      const bytes = message(added, GOOGLE_SIGNED);
      expect(verifiedDomains(bytes)).toEqual(['corp.example']);
      expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
    });
  it('holds a Microsoft 365-signed replay with a Reply-To added (it signs neither To nor Reply-To)', async () => {
    const bytes = message(
      ['Reply-To: pay@evil.example'],
      signed([{ d: 'corp.example', h: M365 }], M365_HEAD),
    );
    expect(verifiedDomains(bytes)).toEqual(['corp.example']);
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a Microsoft 365-signed message replayed as is from outside (its To and Thread-Topic are unsigned)', async () => {
    const bytes = message([], signed([{ d: 'corp.example', h: M365 }], M365_HEAD));
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds an SES-signed replay with a Cc added', async () => {
    const bytes = message(
      ['Cc: cfo@corp.example'],
      signed([
        { d: 'corp.example', h: SES },
        { d: 'amazonses.com', h: SES },
      ]),
    );
    expect(verifiedDomains(bytes)).toEqual(['corp.example', 'amazonses.com']);
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a replay signed by a subdomain (d=mail.corp.example) with a Reply-To added', async () => {
    const bytes = message(['Reply-To: pay@evil.example'], signed([{ d: 'mail.corp.example', h: GOOGLE }]));
    expect(verifiedDomains(bytes)).toEqual(['mail.corp.example']);
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a replay whose signature lists every field but has expired (x= in 2001)', async () => {
    const bytes = message([], signed([{ d: 'corp.example', h: GOOGLE, x: 978307200 }]));
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a replay with a failing signature listing the added field beside the passing one that does not', async () => {
    const real = signed([{ d: 'corp.example', h: GOOGLE }]);
    const fake = sign(['Thread-Topic: Urgent: wire the payment today', ...HEAD], BODY, {
      d: 'corp.example',
      h: [...GOOGLE, 'thread-topic'],
    }).replace(/b=[A-Za-z0-9+/]{8}/, 'b=AAAAAAAA');
    const bytes = message(['Thread-Topic: Urgent: wire the payment today', fake], real);
    expect(verifiedDomains(bytes)).toEqual(['corp.example']);
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a replay signed with l= and text appended (round 92, through the new check too)', async () => {
    const head = signed([{ d: 'corp.example', h: GOOGLE, l: BODY.length }]);
    const bytes = message([], head, `${BODY}${CRLF}Wire the payment today: https://evil.example/pay${CRLF}`);
    expect(verifiedDomains(bytes)).toEqual(['corp.example']);
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds the organization mail signed by a provider only (d= not aligned), from an outside envelope', async () => {
    const bytes = message([], signed([{ d: 'mailer.example', h: GOOGLE }]));
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(HELD);
  });
  it('holds a replay with no signature at all (DMARC said to pass) from an outside envelope', async () => {
    expect(await sesGuard(message([], HEAD), PASSED, ATTACKER)).toEqual(HELD);
  });
});

describe('A104-1 controls: the organization own mail on SES, delivered', () => {
  it('Google Workspace-signed (its domain and gappssmtp), forwarded by an outside server (SRS envelope)', async () => {
    const bytes = message(
      [],
      signed([
        { d: 'corp.example', h: GOOGLE },
        { d: 'corp-example.20230601.gappssmtp.com', h: GOOGLE },
      ]),
    );
    expect(await sesGuard(bytes, PASSED, 'SRS0=abcd=XY=corp.example=ann@forwarder.example')).toEqual(ON);
  });
  it('a Google Workspace reply, In-Reply-To, References and Cc signed, over-signing an absent Reply-To', async () => {
    const head = [
      ...HEAD,
      'Cc: cfo@corp.example',
      'In-Reply-To: <m-1@evil.example>',
      'References: <m-1@evil.example>',
    ];
    const h = [...GOOGLE, 'cc', 'in-reply-to', 'references', 'reply-to'];
    expect(await sesGuard(message([], signed([{ d: 'corp.example', h }], head)), PASSED, ATTACKER)).toEqual(
      ON,
    );
  });
  it('SES-signed (its domain and amazonses.com), from an amazonses.com envelope', async () => {
    const head = [...HEAD, 'Feedback-ID: 1.us-east-1.abc=:AmazonSES'];
    const h = [...SES, 'Feedback-ID'];
    const bytes = message(
      [],
      signed(
        [
          { d: 'corp.example', h },
          { d: 'amazonses.com', h },
        ],
        head,
      ),
    );
    expect(await sesGuard(bytes, PASSED, '0100018c-abc@amazonses.com')).toEqual(ON);
  });
  it('Microsoft 365-signed (its domain and onmicrosoft.com), from its own envelope with SPF PASS', async () => {
    const bytes = message(
      [],
      signed(
        [
          { d: 'corp.example', h: M365 },
          { d: 'corpexample.onmicrosoft.com', h: M365 },
        ],
        M365_HEAD,
      ),
    );
    expect(await sesGuard(bytes, PASSED, 'ann@corp.example')).toEqual(ON);
  });
  it('relayed by a mailing list that adds its List-* fields and signs as itself', async () => {
    const list = ['List-Id: <finance.lists.example>', 'List-Unsubscribe: <mailto:leave@lists.example>'];
    const inner = signed([{ d: 'corp.example', h: GOOGLE }]);
    const resigned = [sign([...list, ...inner], BODY, { d: 'lists.example', h: [...GOOGLE, 'list-id'] })];
    const bytes = message([...resigned, ...list], inner);
    expect(verifiedDomains(bytes)).toEqual(['lists.example', 'corp.example']);
    expect(await sesGuard(bytes, PASSED, 'finance-bounces@lists.example')).toEqual(ON);
  });
  it('a signature that lists every field and expires in 2099', async () => {
    const bytes = message([], signed([{ d: 'corp.example', h: GOOGLE, x: 4102444800 }]));
    expect(await sesGuard(bytes, PASSED, ATTACKER)).toEqual(ON);
  });
});
