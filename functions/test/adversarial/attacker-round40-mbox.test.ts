import { describe, expect, it } from 'vitest';
import { attackerKit, csvAttachment, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const b64 = Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64');
const ENV1 = 'From bob@corp.example Sun Nov 29 10:00:00 2026';
const ENV2 = 'From bob@corp.example Sun Nov 29 10:01:00 2026';
const first = [
  ENV1,
  'From: Bob <bob@corp.example>',
  'Subject: one',
  'MIME-Version: 1.0',
  'Content-Type: text/plain',
  'Content-Length: 6',
  '',
  'hello\n',
].join('\n');
const second = [
  ENV2,
  'From: Bob <bob@corp.example>',
  'Subject: cards',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="z"',
  '',
  '--z',
  'Content-Type: text/plain',
  '',
  'see attached',
  ...csvAttachment(b64),
  '',
].join('\n');
const send = (file: string) =>
  kit.outbound(outboundFile('Sent.mbox', Buffer.from(file, 'latin1'), 'application/mbox'));

// mutt's mbox_parse_mailbox trusts a Content-Length when `From ` is at loc + length + 1: the one byte after the
// body is skipped whatever it is (it assumes the blank line's LF), then fgets reads the next separator there, even
// off a line start. wmflow wants CR/LF bytes there (contentLengthMessages) and finds no `\nFrom ` at all.
describe('A40 mboxcl2: the byte after a Content-Length body is not a line break', () => {
  it('control: the usual blank line between the messages bounces', async () => {
    expect(await send(`${first}\n${second}`)).toBe('BOUNCE');
  });
  it('an `X` in place of the blank line (mutt: message 2 at loc+len+1)', async () => {
    expect(await send(`${first}X${second}`)).toBe('BOUNCE');
  });
  it('a space in place of the blank line', async () => {
    expect(await send(`${first} ${second}`)).toBe('BOUNCE');
  });
});
