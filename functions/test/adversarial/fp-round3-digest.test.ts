import { pdfFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Third false-positive hunt: a mailing-list digest (multipart/digest) whose entries carry no Content-Type, as RFC 2046
// 5.1.5 allows (their type is message/rfc822 by default, and the attachment walk reads them so). The banner edit read
// such an entry as text/plain: it wrote the banner into the first one, labelled it text/plain and re-encoded it, so
// the member's message (and its attachment) reached the reader as quoted-printable text. The entries must stay as
// they came; the banner goes in the digest's own text, or in a part before the digest when it has none.
const stack = useLocalStack();
const kit = attackerKit(stack);
const WORDS = 'came from outside the organization';
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split(WORDS).length - 1;

const PDF = pdfFile(['Meeting notes']).toString('base64').replace(/.{76}/g, '$&\r\n');
const ENTRY = [
  'From: member@lists.example',
  'Subject: Re: meeting notes',
  'Date: Mon, 30 Nov 2026 09:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain',
  '',
  'Notes attached.',
  '--inner',
  'Content-Type: application/pdf; name="notes.pdf"',
  'Content-Disposition: attachment; filename="notes.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  PDF,
  '--inner--',
].join('\r\n');
const PLAIN_ENTRY = ['From: other@lists.example', 'Subject: Re: agenda', '', 'Agreed.'].join('\r\n');

const list = ['From: users-request@lists.example', 'List-Id: <users.lists.example>'];
// Mailman's MIME digest: a masthead, then the multipart/digest of the members' messages.
const withMasthead = mail(
  [...list, 'Content-Type: multipart/mixed; boundary="top"'],
  [
    '--top',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    "Today's Topics:",
    '',
    '   1. Re: meeting notes',
    '   2. Re: agenda',
    '--top',
    'Content-Type: multipart/digest; boundary="d"',
    '',
    '--d',
    '',
    ENTRY,
    '--d',
    '',
    PLAIN_ENTRY,
    '--d--',
    '--top--',
    '',
  ].join('\r\n'),
);
// A digest alone: its entries are all there is.
const digestOnly = (entryHeader?: string) => {
  const head = entryHeader === undefined ? [] : [entryHeader];
  return mail(
    [...list, 'Content-Type: multipart/digest; boundary="d"'],
    ['--d', ...head, '', ENTRY, '--d', ...head, '', PLAIN_ENTRY, '--d--', ''].join('\r\n'),
  );
};

// A member's message carrying a file the policy refuses: at ATTACHMENT_ACTION=strip the file is removed from the
// entry and the digest delivered (the strip refused the entry as "not the part listed", so the digest bounced).
const BLOCKED_ENTRY = [
  'From: member@lists.example',
  'Subject: the tool',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain',
  '',
  'Here is the tool.',
  '--inner',
  'Content-Type: application/octet-stream; name="run.js"',
  'Content-Disposition: attachment; filename="run.js"',
  '',
  'WScript.Echo("wmflow-fp-digest")',
  '--inner--',
].join('\r\n');
const digestWithBlocked = mail(
  [...list, 'Content-Type: multipart/mixed; boundary="top"'],
  [
    '--top',
    'Content-Type: text/plain',
    '',
    "Today's Topics: the tool",
    '--top',
    'Content-Type: multipart/digest; boundary="d"',
    '',
    '--d',
    '',
    BLOCKED_ENTRY,
    '--d',
    '',
    PLAIN_ENTRY,
    '--d--',
    '--top--',
    '',
  ].join('\r\n'),
);

describe('false positives, round 3: digest entries without a Content-Type are attached messages', () => {
  it('a Mailman digest gets the banner in its masthead, its entries delivered as they came', async () => {
    const { verdict, delivered } = await kit.inbound(withMasthead);
    expect(verdict).toBe('DEFAULT');
    const text = delivered.toString('latin1');
    expect(banners(delivered)).toBe(1);
    expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf("Today's Topics"));
    expect(text).toContain(`--d\r\n\r\n${ENTRY}\r\n--d\r\n\r\n${PLAIN_ENTRY}\r\n--d--`);
  });

  it('a digest with no text of its own is delivered with the banner before it, its entries unchanged', async () => {
    const { verdict, delivered } = await kit.inbound(digestOnly());
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).toContain(
      `--d\r\n\r\n${ENTRY}\r\n--d\r\n\r\n${PLAIN_ENTRY}\r\n--d--`,
    );
  });

  it('an entry with an empty Content-Type is an attached message too', async () => {
    const { verdict, delivered } = await kit.inbound(digestOnly('Content-Type: '));
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).toContain(`Content-Type: \r\n\r\n${ENTRY}\r\n--d`);
  });

  it('bounces a refused file in an entry at the default, and strips it from the entry with ATTACHMENT_ACTION=strip', async () => {
    expect((await kit.inbound(digestWithBlocked)).verdict).toBe('BOUNCE');
    const { verdict, delivered } = await kit.inbound(digestWithBlocked, { ATTACHMENT_ACTION: 'strip' });
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).not.toContain('wmflow-fp-digest');
    expect(delivered.toString('latin1')).toContain('Here is the tool.');
    await expectStripped(digestWithBlocked, delivered);
  });
});
