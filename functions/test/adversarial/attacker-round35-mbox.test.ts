// Attacker round 35 (A35-4): an attached mbox was read as one message, its first; the later messages were raw
// text in the first one's body or epilogue, their base64 attachments never decoded. Thunderbird
// (ImportExportTools NG), Apple Mail (File > Import Mailboxes) and Google Takeout readers split an mbox at its
// `From ` lines and show each message's attachments. Each case but the controls got past the function
// (DEFAULT) before the fix (PoCs in .scratch/attack-s35).
import { gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, csvAttachment, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const cards = Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64');
const clean = Buffer.from('name,card\r\nBob,none\r\n').toString('base64');

const separator = (n: number) => `From bob@corp.example Sun Nov 29 10:00:0${n % 10} 2026`;
const head = (subject: string) => [
  'From: Bob <bob@corp.example>',
  `Subject: ${subject}`,
  'MIME-Version: 1.0',
];
/** One message of an mbox, its `From ` line first: plain text, or with a base64 CSV attached. */
const message = (subject: string, csv?: string, n = 0) =>
  [
    separator(n),
    ...head(subject),
    ...(csv === undefined
      ? ['Content-Type: text/plain', '', 'first']
      : [
          'Content-Type: multipart/mixed; boundary="z"',
          '',
          '--z',
          'Content-Type: text/plain',
          '',
          'see file',
          ...csvAttachment(csv),
        ]),
    '',
  ].join('\r\n');
const mbox = (...messages: string[]) => Buffer.from(messages.join('\r\n'));
const attack = () => mbox(message('one'), message('two', cards, 1));
const harmless = () => mbox(message('one'), message('two', clean, 1), message('three', clean, 2));

describe('A35-4 mbox: every message is read, not only the first', () => {
  it("control: card in the first message's base64 attachment bounces", async () => {
    const file = mbox(message('one', cards), message('two'));
    expect(await kit.outbound(outboundFile('Export.mbox', file, 'application/mbox'))).toBe('BOUNCE');
  });
  it('control: an mbox of clean messages with attachments is sent (attached, zipped, gzipped)', async () => {
    expect(await kit.outbound(outboundFile('Export.mbox', harmless(), 'application/mbox'))).toBe('DEFAULT');
    const zip = zipFile([{ name: 'Export.mbox/mbox', data: harmless() }]);
    expect(await kit.outbound(outboundFile('Export.zip', zip, 'application/zip'))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('All mail.mbox.gz', gzipSync(harmless())))).toBe('DEFAULT');
  });
  it("card in the second message's base64 attachment (first message plain)", async () => {
    expect(await kit.outbound(outboundFile('Export.mbox', attack(), 'application/mbox'))).toBe('BOUNCE');
  });
  it("card in the second message's base64 attachment (first message multipart)", async () => {
    const file = mbox(message('one', clean), message('two', cards, 1));
    expect(await kit.outbound(outboundFile('Export.mbox', file, 'application/mbox'))).toBe('BOUNCE');
  });
  it('Apple Mail export: Export.mbox/mbox inside a zip', async () => {
    const zip = zipFile([{ name: 'Export.mbox/mbox', data: attack() }]);
    expect(await kit.outbound(outboundFile('Export.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
  it('Google Takeout: All mail.mbox.gz', async () => {
    const gz = gzipSync(attack());
    expect(await kit.outbound(outboundFile('All mail Including Spam and Trash.mbox.gz', gz))).toBe('BOUNCE');
  });
  it('an mbox by its content, whatever its name or type: export.dat, and Export.mbox typed message/rfc822', async () => {
    expect(await kit.outbound(outboundFile('export.dat', attack()))).toBe('BOUNCE');
    expect(await kit.outbound(outboundFile('Export.mbox', attack(), 'message/rfc822'))).toBe('BOUNCE');
  });
  it('mboxo: `From ` lines with no blank line before them (Thunderbird splits there)', async () => {
    const tight = Buffer.from(`${message('one')}${message('two', cards, 1)}`);
    expect(await kit.outbound(outboundFile('Inbox', tight))).toBe('BOUNCE');
  });
  it('an unquoted `From ` body line that splits the message for Thunderbird, not for mboxrd readers', async () => {
    const interrupted = message('two', cards, 1).replace('see file', `see file\r\n${separator(9)}`);
    expect(await kit.outbound(outboundFile('Export.mbox', mbox(message('one'), interrupted)))).toBe('BOUNCE');
  });
  it('more messages than the walk reads parts: unread, so bounced', async () => {
    const many = mbox(...Array.from({ length: 1001 }, (_, i) => message(`m${i}`, undefined, i)));
    expect(await kit.outbound(outboundFile('Export.mbox', many, 'application/mbox'))).toBe('BOUNCE');
  });
});
