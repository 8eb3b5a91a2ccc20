import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 123 (guard-ses). guard-ses read the header block from the event's header list whenever that list was
// whole and plain ASCII (round 80), so the From, Sender and the other fields it judges were SES's parse of the header
// lines, which SES does not document, while the recipient's client shows the stored message's own lines (the S3
// action's object, the same bytes the delivery rule delivers). Each case below hands guard-ses an event whose list
// reads otherwise than the stored bytes, as a parser that drops a line it cannot read (`From :`), keeps one field of
// two, or reads another line than the client does would: the stored block now decides.
const stack = useTwinStack();
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const PROTECTED = { PROTECTED_NAMES: 'Jane Doe' };
type Header = { name: string; value: string };
type Shape = (ses: { mail: { headers: Header[] }; receipt: Record<string, unknown> }) => void;
const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');
const exe = (head: string[]) =>
  mail(
    [...head, 'Content-Type: multipart/mixed; boundary="b"'],
    '--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="invoice.exe"\r\n\r\nMZ\r\n--b--\r\n',
  );

// The header list as SES would give it for `bytes` (unfolded, one entry a line), before `shape` changes it.
function listOf(bytes: Buffer): Header[] {
  const text = bytes.toString('latin1');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .map((line) => ({
      name: line.slice(0, line.indexOf(':')),
      value: line.slice(line.indexOf(':') + 1).trim(),
    }));
}

async function answer(
  bytes: Buffer,
  env: Record<string, string>,
  shape: Shape = () => {},
  verdicts: SesReceiptVerdicts = PASS,
): Promise<string> {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: 'inbound-mail',
    STORED_KEY_PREFIX: 'inbound/',
    BOUNCE_SENDER: 'postmaster@corp.example',
    ...env,
  });
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: 'inbound-mail', Key: `inbound/${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const event = makeSesEvent({
    messageId,
    source: 'x@evil.example',
    recipients: ['bob@corp.example'],
    headers: listOf(bytes),
    verdicts,
  });
  shape(event.Records[0].ses as unknown as Parameters<Shape>[0]);
  return ((await handler(event, lambdaContext())) as { disposition: string }).disposition;
}

const without =
  (name: RegExp): Shape =>
  (ses) => {
    ses.mail.headers = ses.mail.headers.filter((h) => !name.test(h.name));
  };
const listed =
  (name: string, value: string): Shape =>
  (ses) => {
    ses.mail.headers = ses.mail.headers.map((h) => (h.name === name ? { name, value } : h));
  };
const firstOnly =
  (name: string): Shape =>
  (ses) => {
    let seen = false;
    ses.mail.headers = ses.mail.headers.filter((h) => {
      if (h.name !== name) return true;
      const keep = !seen;
      seen = true;
      return keep;
    });
  };

describe('A123-3: the event lists the header block otherwise than the stored message shows it', () => {
  it('a `From :` line the event does not list, showing a protected name: held', async () => {
    const m = letter(['From : Jane Doe <x@evil.example>']);
    expect(await answer(m, PROTECTED, without(/^from\s*$/i))).toBe('STOP_RULE');
  });

  it('a protected name in the stored From, another name in the event: held', async () => {
    const m = letter(['From: Jane Doe <x@evil.example>']);
    expect(await answer(m, PROTECTED, listed('From', 'Ann <ann@partner.example>'))).toBe('STOP_RULE');
  });

  it('two From fields, the event listing the first only, the second a protected name: held', async () => {
    const m = letter(['From: Ann <ann@partner.example>', 'From: Jane Doe <x@evil.example>']);
    expect(await answer(m, PROTECTED, firstOnly('From'))).toBe('STOP_RULE');
  });

  it('the organization address as the stored display name, a plain From in the event (defaults): held', async () => {
    const m = letter(['From: "ceo@corp.example" <x@evil.example>']);
    expect(await answer(m, {}, listed('From', 'x@evil.example'))).toBe('STOP_RULE');
  });

  it('a Sender showing the organization address that the event does not list (defaults): held', async () => {
    const m = letter(['From: x@evil.example', 'Sender: "ceo@corp.example" <y@evil.example>']);
    expect(await answer(m, {}, without(/^sender$/i))).toBe('STOP_RULE');
  });

  it('an organization From failing DMARC (p=none) that the event lists as an outside From: held', async () => {
    const m = letter(['From: IT Helpdesk <it@corp.example>']);
    const fail = { ...PASS, spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' } as SesReceiptVerdicts;
    const shape: Shape = (ses) => {
      listed('From', 'IT Helpdesk <x@evil.example>')(ses);
      ses.receipt.dmarcPolicy = 'none';
    };
    expect(await answer(m, {}, shape, fail)).toBe('STOP_RULE');
  });
});

describe('A123-3 controls and held', () => {
  it('a partner letter listed as stored: delivered', async () => {
    expect(await answer(letter(['From: Ann <ann@partner.example>']), PROTECTED)).toBe('CONTINUE');
  });

  it('a partner letter whose event list names a protected person: the stored From decides, delivered', async () => {
    const m = letter(['From: Ann <ann@partner.example>']);
    expect(await answer(m, PROTECTED, listed('From', 'Jane Doe <x@evil.example>'))).toBe('CONTINUE');
  });

  it('a partner letter with an 8-bit subject (the stored block was read before too): delivered', async () => {
    const m = letter(['From: Ann <ann@partner.example>', 'Subject: Caf\u00e9 order']);
    expect(await answer(m, PROTECTED)).toBe('CONTINUE');
  });

  it('an executable whose event list names a plain text body: bounced', async () => {
    const m = exe(['From: Ann <ann@partner.example>']);
    expect(await answer(m, {}, listed('Content-Type', 'text/plain'))).toBe('STOP_RULE_SET');
  });

  it('the receipt virus FAIL beside a stored X-SES-Virus-Verdict: PASS: bounced', async () => {
    const m = letter(['X-SES-Virus-Verdict: PASS', 'From: Ann <ann@partner.example>']);
    expect(await answer(m, {}, () => {}, { ...PASS, virus: 'FAIL' })).toBe('STOP_RULE_SET');
  });

  it('an organization From whose receipt DMARC is PROCESSING_FAILED: held', async () => {
    const m = letter(['From: IT Helpdesk <it@corp.example>']);
    expect(await answer(m, {}, () => {}, { ...PASS, dmarc: 'PROCESSING_FAILED' })).toBe('STOP_RULE');
  });

  it('a header block over 1 MiB with a protected name at its end, the event list cut: refused', async () => {
    const pad = Array.from({ length: 12000 }, (_, i) => `X-Pad-${i}: ${'a'.repeat(90)}`);
    const m = letter([...pad, 'From: Jane Doe <x@evil.example>']);
    const cut: Shape = (ses) => {
      ses.mail.headers = ses.mail.headers.slice(0, 50);
      (ses.mail as unknown as Record<string, unknown>).headersTruncated = true;
    };
    expect(await answer(m, PROTECTED, cut)).not.toBe('CONTINUE');
  });
});
