import { gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, csvAttachment, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 36 (session 29) against round 35's mbox reading: each case got past outbound-policy before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const b64 = Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64');

const plain = (subject: string, body: string) =>
  [
    `From bob@corp.example Sun Nov 29 10:00:00 2026`,
    'From: Bob <bob@corp.example>',
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\n');
const withCard = (from = 'From bob@corp.example Sun Nov 29 10:01:00 2026') =>
  [
    from,
    'From: Bob <bob@corp.example>',
    'Subject: cards',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="z"',
    '',
    '--z',
    'Content-Type: text/plain',
    '',
    'see file',
    ...csvAttachment(b64),
    '',
  ].join('\n');
const mbox = (...m: string[]) => Buffer.from(m.join('\n'), 'latin1');

// Thunderbird, Apple Mail (File > Import Mailboxes) and mutt read a mailbox whatever bytes a message's body
// holds: a stray NUL (or other control byte) in an 8-bit body stored as received does not stop them.
describe('A36 mbox with a control byte in its first 4 KiB', () => {
  it('control: Export.mbox, card in the second message, bounces', async () => {
    const file = mbox(plain('one', 'hello'), withCard());
    expect(await kit.outbound(outboundFile('Export.mbox', file, 'application/mbox'))).toBe('BOUNCE');
  });
  it("Export.mbox, a NUL in the first message's 8-bit body", async () => {
    const file = mbox(plain('one', 'hello\0world'), withCard());
    expect(await kit.outbound(outboundFile('Export.mbox', file, 'application/mbox'))).toBe('BOUNCE');
  });
  it("Export.mbox, a backspace (0x08) in the first message's body", async () => {
    const file = mbox(plain('one', 'typo\bo'), withCard());
    expect(await kit.outbound(outboundFile('Export.mbox', file, 'application/mbox'))).toBe('BOUNCE');
  });
  it('control: Apple Mail export in a zip (Export.mbox/mbox), card in the second message', async () => {
    const zip = zipFile([{ name: 'Export.mbox/mbox', data: mbox(plain('one', 'hello'), withCard()) }]);
    expect(await kit.outbound(outboundFile('Export.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
  it("Apple Mail export in a zip, a NUL in the first message's body", async () => {
    const zip = zipFile([{ name: 'Export.mbox/mbox', data: mbox(plain('one', 'hello\0world'), withCard()) }]);
    expect(await kit.outbound(outboundFile('Export.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
  it('Google Takeout .mbox.gz, first message without MIME fields and a NUL', async () => {
    const first = [
      'From bob@corp.example Sun Nov 29 10:00:00 2026',
      'From: Bob <bob@corp.example>',
      'Subject: one',
      '',
      'hello\0world',
      '',
    ].join('\n');
    const gz = gzipSync(mbox(first, withCard()));
    expect(await kit.outbound(outboundFile('All mail Including Spam and Trash.mbox.gz', gz))).toBe('BOUNCE');
  });
});

// mboxcl2 (Content-Length mailboxes: mutt, Solaris mailx) do not quote `From ` in bodies: mutt ends a message by
// its Content-Length, so a body line `From the desk…` after a blank line is body text there.
describe('A36 Content-Length mbox (mboxcl2)', () => {
  const cl = (envelope: string, head: string[], body: string) =>
    [envelope, ...head, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\n');
  const body2 = (inner: string) =>
    ['--z', 'Content-Type: text/plain', '', 'Notes:', '', inner, ...csvAttachment(b64), ''].join('\n');
  const head2 = [
    'From: Bob <bob@corp.example>',
    'Subject: cards',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="z"',
  ];
  const file = (inner: string) =>
    Buffer.from(
      [
        cl(
          'From bob@corp.example Sun Nov 29 10:00:00 2026',
          ['From: Bob <bob@corp.example>', 'Subject: one', 'MIME-Version: 1.0', 'Content-Type: text/plain'],
          'hello\n',
        ),
        cl('From bob@corp.example Sun Nov 29 10:01:00 2026', head2, body2(inner)),
      ].join('\n'),
    );
  it('control: second message with a quoted >From line', async () => {
    expect(await kit.outbound(outboundFile('mbox', file('>From the desk of Bob'), 'application/mbox'))).toBe(
      'BOUNCE',
    );
  });
  it('second message with an unquoted From line after a blank line (Content-Length says body)', async () => {
    expect(await kit.outbound(outboundFile('mbox', file('From the desk of Bob'), 'application/mbox'))).toBe(
      'BOUNCE',
    );
  });
});

// MMDF mailboxes (mutt, MH/nmh's packf, SCO): each message between lines of four ^A bytes, no `From ` lines.
describe('A36 MMDF mailbox', () => {
  const sep = '\x01\x01\x01\x01';
  const strip = (m: string) => m.split('\n').slice(1).join('\n');
  it("MMDF file, card in the second message's base64 attachment", async () => {
    const file = Buffer.from(
      [sep, strip(plain('one', 'hello')), sep, sep, strip(withCard()), sep, ''].join('\n'),
      'latin1',
    );
    expect(await kit.outbound(outboundFile('mailbox.mmdf', file, 'application/octet-stream'))).toBe('BOUNCE');
  });
});
