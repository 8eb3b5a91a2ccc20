import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { mail, withPart } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 83: an outside sender (or whatever shapes what SES hands the Lambda) gets an executable, a spoofed
// organization sender or a spoof of a third party past guard-ses.
const stack = useTwinStack();
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const BASE = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: STORED.bucket,
  STORED_KEY_PREFIX: STORED.keyPrefix,
  BOUNCE_SENDER: 'postmaster@corp.example',
};

// biome-ignore lint/suspicious/noExplicitAny: spoiling a built event field by field
type E = any;

/** The header list SES puts in the event: each field of the header block, unfolded (as round 80's twin test). */
function eventHeaders(bytes: Buffer): { name: string; value: string }[] {
  const text = bytes.toString('utf-8');
  const head = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return head.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
  });
}

/**
 * guard-ses's answer (and the bounces it sent) for `bytes` stored by the S3 action, with these receipt verdicts;
 * `spoil` changes the event before the handler sees it; `dmarcPolicy` is written as given (SES's case varies).
 */
async function ses(
  bytes: Buffer,
  verdicts: SesReceiptVerdicts = {},
  options: { env?: Record<string, string>; spoil?: (e: E) => void; dmarcPolicy?: unknown } = {},
) {
  const handler = guardSes({ ...BASE, ...options.env });
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const event: E = makeSesEvent({
    messageId,
    source: 'x@evil.example',
    recipients: ['bob@corp.example'],
    headers: eventHeaders(bytes),
    verdicts,
  });
  if (options.dmarcPolicy !== undefined) event.Records[0].ses.receipt.dmarcPolicy = options.dmarcPolicy;
  options.spoil?.(event);
  return { answer: await handler(event, lambdaContext()), bounces: stack().ses.bounces(messageId) };
}

const EXE = mail(
  ['From: Ann <ann@evil.example>', 'Content-Type: multipart/mixed; boundary="b"'],
  withPart(
    [
      'Content-Type: application/octet-stream; name="invoice.exe"',
      'Content-Disposition: attachment; filename="invoice.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=',
    ].join('\r\n'),
  ),
);
const letter = (from: string) =>
  mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please confirm your account details today.');

// A83-1: an event that fails validation was answered CONTINUE (sesFlow: "names no message to stop"): every protection
// skipped, the .exe delivered. Whatever makes it unreadable (a verdict status outside the five, a missing
// commonHeaders, a header list that is no list, a header without a value, no recipient), guard-ses now holds the
// message (STOP_RULE: the rule's delivery actions are skipped, the quarantine rule keeps it) and logs why.
describe('A83-1: an event guard-ses cannot read', () => {
  const spoils: [string, (e: E) => void][] = [
    [
      'a virus verdict status outside the five',
      (e) => {
        e.Records[0].ses.receipt.virusVerdict = { status: 'QUARANTINED' };
      },
    ],
    [
      'a DMARC verdict status outside the five',
      (e) => {
        e.Records[0].ses.receipt.dmarcVerdict = { status: 'NEUTRAL' };
      },
    ],
    [
      'a verdict that is no object',
      (e) => {
        e.Records[0].ses.receipt.spamVerdict = 'FAIL';
      },
    ],
    [
      'no mail.commonHeaders',
      (e) => {
        delete e.Records[0].ses.mail.commonHeaders;
      },
    ],
    [
      'a header list that is no list',
      (e) => {
        e.Records[0].ses.mail.headers = { From: 'x@evil.example' };
      },
    ],
    [
      'a header without a value',
      (e) => {
        e.Records[0].ses.mail.headers[0].value = null;
      },
    ],
    [
      'no recipient',
      (e) => {
        e.Records[0].ses.receipt.recipients = [];
      },
    ],
    [
      'two records',
      (e) => {
        e.Records.push(e.Records[0]);
      },
    ],
  ];
  for (const [what, spoil] of spoils) {
    it(`holds the .exe (STOP_RULE) with ${what}`, async () => {
      expect((await ses(EXE, {}, { spoil })).answer).toEqual({ disposition: 'STOP_RULE' });
    });
  }
  describe('controls', () => {
    it('the .exe in a readable event is bounced', async () => {
      const { answer, bounces } = await ses(EXE);
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(bounces).toHaveLength(1);
    });
    it('a clean letter in a readable event is delivered', async () => {
      expect((await ses(letter('Ann <ann@partner.example>'))).answer).toEqual({ disposition: 'CONTINUE' });
    });
    it('extra fields SES may add are not unreadable: delivered', async () => {
      const spoil = (e: E) => {
        e.Records[0].ses.receipt.newVerdict = { status: 'SOMETHING' };
        e.Records[0].ses.receipt.action = { type: 'Lambda', invocationType: 'RequestResponse', extra: 1 };
        e.Records[0].ses.mail.commonHeaders.newField = ['x'];
        e.Records[0].extra = true;
      };
      expect((await ses(letter('Ann <ann@partner.example>'), {}, { spoil })).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
  });
});

const BANK = 'Security <alerts@bank.example>';
const FAILED: SesReceiptVerdicts = { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };

// A83-2: WorkMail enforces the sending domain's DMARC policy itself (its inbound DMARC setting); receipt rules
// enforce nothing, and guard-ses acted on a DMARC FAIL only for organization domains: a spoof of a third party's
// p=reject domain was delivered. guard-ses now bounces `reject` and quarantines `quarantine` (DMARC_ENFORCEMENT).
describe('A83-2: a spoof of a third party’s DMARC policy', () => {
  for (const policy of ['reject', 'REJECT', 'Reject']) {
    it(`bounces a DMARC FAIL under p=${policy}`, async () => {
      const { answer, bounces } = await ses(letter(BANK), FAILED, { dmarcPolicy: policy });
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(bounces).toHaveLength(1);
    });
  }
  for (const policy of ['quarantine', 'QUARANTINE']) {
    it(`quarantines a DMARC FAIL under p=${policy}`, async () => {
      expect((await ses(letter(BANK), FAILED, { dmarcPolicy: policy })).answer).toEqual({
        disposition: 'STOP_RULE',
      });
    });
  }
  it('quarantines a DMARC FAIL whose policy cannot be read (not knowing)', async () => {
    for (const policy of ['strict', 7, { p: 'reject' }])
      expect((await ses(letter(BANK), FAILED, { dmarcPolicy: policy })).answer).toEqual({
        disposition: 'STOP_RULE',
      });
  });
  it('a p=reject spoof with a spam FAIL is bounced, not only quarantined (the refusal first)', async () => {
    const { answer, bounces } = await ses(
      letter(BANK),
      { ...FAILED, spam: 'FAIL' },
      { dmarcPolicy: 'reject' },
    );
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('a p=quarantine spoof carrying an .exe is bounced (the attachment’s bounce wins over the Junk)', async () => {
    const { answer, bounces } = await ses(EXE, FAILED, { dmarcPolicy: 'quarantine' });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('DMARC_REJECT_ACTION=drop drops it without a bounce (no backscatter)', async () => {
    const { answer, bounces } = await ses(letter(BANK), FAILED, {
      dmarcPolicy: 'reject',
      env: { DMARC_REJECT_ACTION: 'drop' },
    });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(0);
  });
  it('refuses a DMARC_REJECT_ACTION that is no verdict word', () => {
    expect(() => guardSes({ ...BASE, DMARC_REJECT_ACTION: 'deliver-later' })).toThrow(/DMARC_REJECT_ACTION/);
  });
  describe('controls', () => {
    it('a DMARC FAIL under p=none is delivered', async () => {
      expect((await ses(letter(BANK), FAILED, { dmarcPolicy: 'none' })).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
    it('a DMARC FAIL with no policy on the receipt is delivered (as p=none)', async () => {
      expect((await ses(letter(BANK), FAILED)).answer).toEqual({ disposition: 'CONTINUE' });
    });
    it('a DMARC PASS with a policy field beside it is delivered', async () => {
      expect((await ses(letter(BANK), { dmarc: 'PASS' }, { dmarcPolicy: 'reject' })).answer).toEqual({
        disposition: 'CONTINUE',
      });
    });
    it('DMARC GRAY or PROCESSING_FAILED under p=reject is delivered (no result to enforce)', async () => {
      for (const dmarc of ['GRAY', 'PROCESSING_FAILED'] as const)
        expect((await ses(letter(BANK), { dmarc }, { dmarcPolicy: 'reject' })).answer).toEqual({
          disposition: 'CONTINUE',
        });
    });
    it('DMARC_ENFORCEMENT=false delivers the p=reject spoof', async () => {
      expect(
        (
          await ses(letter(BANK), FAILED, {
            dmarcPolicy: 'reject',
            env: { DMARC_ENFORCEMENT: 'false' },
          })
        ).answer,
      ).toEqual({ disposition: 'CONTINUE' });
    });
    it('AUDIT_MODE=dmarc logs the p=reject spoof and delivers it', async () => {
      expect(
        (await ses(letter(BANK), FAILED, { dmarcPolicy: 'reject', env: { AUDIT_MODE: 'dmarc' } })).answer,
      ).toEqual({ disposition: 'CONTINUE' });
    });
  });
});

// Held (probed, already refused before this round): a protected name on an organization From, sent from outside,
// is quarantined whatever DMARC result the receipt carries, none included (the WorkMail guard junks it with no
// Authentication-Results at all).
describe('held: an organization From with no DMARC result on the receipt', () => {
  const jane = mail(['From: Jane Doe <jane@corp.example>', 'Content-Type: text/plain'], 'Pay today.');
  const env = { PROTECTED_NAMES: 'Jane Doe' };
  for (const dmarc of ['DISABLED', 'GRAY', 'PROCESSING_FAILED'] as const)
    it(`quarantines it under DMARC ${dmarc}`, async () => {
      expect((await ses(jane, { dmarc, spf: 'FAIL' }, { env })).answer).toEqual({ disposition: 'STOP_RULE' });
    });
  it('quarantines it when the receipt carries no dmarcVerdict', async () => {
    const spoil = (e: E) => {
      delete e.Records[0].ses.receipt.dmarcVerdict;
    };
    expect((await ses(jane, {}, { env, spoil })).answer).toEqual({ disposition: 'STOP_RULE' });
  });
});
