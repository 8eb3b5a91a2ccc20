import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 80: one message that the WorkMail guard refuses, written so that its SES twin (guard-ses: the
// event's headers and the receipt's verdicts, the body from the S3 action's object) delivers it.
const stack = useTwinStack();
const kit = attackerKit(stack);
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const CRLF = '\r\n';

/**
 * The header list SES puts in the event: each field of the message's header block, unfolded, as JSON text (a
 * decoding: bytes that are no UTF-8 become U+FFFD).
 */
function eventHeaders(bytes: Buffer): { name: string; value: string }[] {
  const text = bytes.toString('utf-8');
  const head = text.slice(0, text.indexOf(`${CRLF}${CRLF}`)).replace(/\r\n[ \t]+/g, ' ');
  return head.split(CRLF).map((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
  });
}

/**
 * guard-ses's answer (and the bounces it sent) for `bytes` stored by the S3 action, with these receipt verdicts
 * (`omit`: verdicts the receipt does not carry at all).
 */
async function ses(
  bytes: Buffer,
  verdicts: SesReceiptVerdicts = {},
  omit: readonly string[] = [],
  truncate = false,
) {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: STORED.bucket,
    STORED_KEY_PREFIX: STORED.keyPrefix,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ...ENV,
  });
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const headers = eventHeaders(bytes);
  const event = makeSesEvent({
    messageId,
    source: 'x@evil.example',
    recipients: ['bob@corp.example'],
    headers,
    verdicts,
  });
  if (truncate) {
    event.Records[0].ses.mail.headersTruncated = true;
    event.Records[0].ses.mail.headers = [{ name: 'From', value: 'Ann <ann@evil.example>' }];
  }
  const receipt = event.Records[0].ses.receipt as unknown as Record<string, unknown>;
  for (const name of omit) delete receipt[name];
  return { answer: await handler(event, lambdaContext()), bounces: stack().ses.bounces(messageId) };
}

const PASSING: SesReceiptVerdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const letter = (from: string, signed: string[] = []) =>
  mail([`From: ${from}`, ...signed, 'Content-Type: text/plain'], 'Please update your bank details today.');
// The organization's signature over every field it shows (attacker round 104: a DMARC pass for mail from an outside
// envelope counts as the organization's own only under such a signature).
const SIGNED = [
  'DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from:to:subject:date:message-id; bh=x; b=y',
];

// A80-1: round 73 junked an organization From written so that readers disagree on its mailbox (`Payroll
// <payroll@corp.example> <x@evil.example>`, a comment or a source route naming another) when SES's
// Authentication-Results says DMARC judged (and passed) another domain. On SES the receipt's DMARC PASS names no
// domain, so nothing said which From was judged: guard-ses delivered what the WorkMail guard junks.
describe('A80-1: an organization From beside another address, DMARC PASS on the receipt (SES)', () => {
  for (const from of [
    'Payroll <payroll@corp.example> <x@evil.example>',
    'payroll@corp.example (x@evil.example)',
    '<@evil.example:payroll@corp.example>',
    'Payroll <payroll@corp.example> <x@[203.0.113.9]>',
  ]) {
    it(`quarantines \`${from}\` (the WorkMail guard junks it)`, async () => {
      expect((await ses(letter(from), PASSING)).answer).toEqual({ disposition: 'STOP_RULE' });
    });
  }
  it('quarantines it with the receipt’s DMARC GRAY too (no record for the domain judged)', async () => {
    const from = 'Payroll <payroll@corp.example> <x@evil.example>';
    expect((await ses(letter(from), { ...PASSING, dmarc: 'GRAY' })).answer).toEqual({
      disposition: 'STOP_RULE',
    });
  });
  describe('controls', () => {
    it('the organization’s own From alone, DMARC PASS, is delivered', async () => {
      expect((await ses(letter('Payroll <payroll@corp.example>', SIGNED), PASSING)).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
    it('an organization subdomain From alone, DMARC PASS, is delivered', async () => {
      expect((await ses(letter('Corp News <news@news.corp.example>', SIGNED), PASSING)).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
    it('a partner naming the organization in a comment is delivered', async () => {
      expect((await ses(letter('Ann (for corp.example) <ann@partner.example>'), PASSING)).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
    it('an outside From whose comment names another outside address is delivered', async () => {
      const from = 'Ann <ann@partner.example> (also ann@mail.partner.example)';
      expect((await ses(letter(from), PASSING)).answer).toEqual({ disposition: 'CONTINUE' });
    });
  });
});

const withId = (() => {
  const head = [
    'From: Ann <ann@evil.example>',
    'To: bob@corp.example',
    'Subject: Invoice',
    'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'Message-ID: @ID@',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '',
  ].join(CRLF);
  const body = [
    '--b',
    'Content-Type: text/plain',
    '',
    'the invoice',
    '--b',
    'Content-Type: application/octet-stream; name="invoice.exe"',
    'Content-Disposition: attachment; filename="invoice.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=',
    '--b--',
    '',
  ].join(CRLF);
  const [before, after] = head.split('@ID@') as [string, string];
  return (id: Buffer) => Buffer.concat([Buffer.from(before), id, Buffer.from(after), Buffer.from(body)]);
})();

// A80-2: the stored object is checked to be the receipt's message by its Message-ID (fault round 52): the block was
// read as Latin-1, the receipt's `commonHeaders.messageId` is SES's decoding. A Message-ID with a UTF-8 letter (or
// a byte that is no UTF-8) never matched, so every read of the body failed as "another message": guard-ses never
// decided, and an .exe the WorkMail guard bounces went to whatever a failed Lambda action does.
describe('A80-2: a Message-ID that is not ASCII (the stored-message check)', () => {
  for (const [what, id] of [
    ['UTF-8', Buffer.from('<café-1@evil.example>')],
    ['Latin-1', Buffer.concat([Buffer.from('<caf'), Buffer.from([0xe9]), Buffer.from('-2@evil.example>')])],
  ] as const) {
    it(`bounces the .exe under a ${what} Message-ID`, async () => {
      const { answer, bounces } = await ses(withId(id));
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(bounces).toHaveLength(1);
    });
  }
  it('bounces it under an ASCII Message-ID (control)', async () => {
    const { answer, bounces } = await ses(withId(Buffer.from('<plain@evil.example>')));
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
});

// A80-3: a display name with an 8-bit byte (`J\xE1ne Doe`, Latin-1 á) is read on WorkMail from the message's bytes,
// as UTF-8 and as Latin-1 (which a client may show): Jane Doe, junked. On SES the header came from the event, a
// decoding in which the byte is gone (U+FFFD): delivered. An event header that is not plain ASCII is now read from
// the stored header block.
describe('A80-3: a display name with an 8-bit byte, read from the event on SES', () => {
  const named = (name: Buffer) =>
    Buffer.concat([
      Buffer.from('From: '),
      name,
      Buffer.from(` <x@evil.example>${CRLF}`),
      mail(['Content-Type: text/plain'], 'Pay today.'),
    ]);
  const jane = named(Buffer.concat([Buffer.from('J'), Buffer.from([0xe1]), Buffer.from('ne Doe')]));
  it('the WorkMail guard junks it', async () => {
    expect((await kit.inbound(jane, ENV)).verdict).toBe('MOVE_TO_JUNK');
  });
  it('guard-ses quarantines it', async () => {
    expect((await ses(jane)).answer).toEqual({ disposition: 'STOP_RULE' });
  });
  it('guard-ses quarantines it written in UTF-8 too', async () => {
    expect((await ses(named(Buffer.from('Jáne Doe')))).answer).toEqual({ disposition: 'STOP_RULE' });
  });
  it('delivers an 8-bit name that is nobody protected (control)', async () => {
    const other = named(Buffer.concat([Buffer.from('J'), Buffer.from([0xe1]), Buffer.from('n Smith')]));
    expect((await ses(other)).answer).toEqual({ disposition: 'CONTINUE' });
  });
});

// A80-4: a receipt that carries no verdict of some kind (SES's receipts often carry all five; not every one does)
// failed the event's validation, and guard-ses answers CONTINUE to an event it cannot read: every protection was
// skipped, the .exe delivered. A verdict the receipt does not carry is now no verdict, as a missing X-SES header is
// on WorkMail, and the guard's other protections decide.
describe('A80-4: a receipt without one of its verdicts', () => {
  for (const missing of ['dmarcVerdict', 'spfVerdict', 'dkimVerdict', 'spamVerdict', 'virusVerdict']) {
    it(`bounces the .exe when the receipt has no ${missing}`, async () => {
      const { answer, bounces } = await ses(withId(Buffer.from('<m@evil.example>')), {}, [missing]);
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(bounces).toHaveLength(1);
    });
  }
  it('still bounces a virus FAIL when another verdict is missing', async () => {
    const clean = letter('Ann <ann@evil.example>');
    const { answer, bounces } = await ses(clean, { virus: 'FAIL' }, ['dmarcVerdict']);
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('delivers a clean message whose receipt has no dmarcVerdict (control)', async () => {
    expect((await ses(letter('Ann <ann@evil.example>'), {}, ['dmarcVerdict'])).answer).toEqual({
      disposition: 'CONTINUE',
    });
  });
});

// Held (each already refused before this round): what the sender writes into the message never stands for the
// receipt, and a cut header list is read from the stored message.
describe('held: the receipt, not the sender’s headers; a cut list read from the stored block', () => {
  const forged = (from: string) =>
    mail(
      [
        'X-SES-Spam-Verdict: PASS',
        'X-SES-Virus-Verdict: PASS',
        'Authentication-Results: amazonses.com; spf=pass; dkim=pass header.d=corp.example; dmarc=pass header.from=corp.example',
        `From: ${from}`,
        'Content-Type: text/plain',
      ],
      'Please update your bank details today.',
    );
  it('a virus FAIL on the receipt bounces beside X-SES-Virus-Verdict: PASS', async () => {
    const { answer, bounces } = await ses(forged('Ann <ann@evil.example>'), { virus: 'FAIL' });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('a spam FAIL on the receipt quarantines beside X-SES-Spam-Verdict: PASS', async () => {
    expect((await ses(forged('Ann <ann@evil.example>'), { spam: 'FAIL' })).answer).toEqual({
      disposition: 'STOP_RULE',
    });
  });
  it('an organization From with the receipt’s DMARC FAIL is quarantined beside a forged dmarc=pass', async () => {
    expect((await ses(forged('Payroll <payroll@corp.example>'), { dmarc: 'FAIL' })).answer).toEqual({
      disposition: 'STOP_RULE',
    });
  });
  it('a cut header list naming another From: the stored block’s Jane Doe is quarantined', async () => {
    expect((await ses(letter('Jane Doe <x@evil.example>'), {}, [], true)).answer).toEqual({
      disposition: 'STOP_RULE',
    });
  });
});
