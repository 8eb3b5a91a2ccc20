import { describe, expect, it } from 'vitest';
import { attackerKit, csvAttachment, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 39 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const b64 = Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64');
const ENV1 = 'From bob@corp.example Sun Nov 29 10:00:00 2026';
const ENV2 = 'From bob@corp.example Sun Nov 29 10:01:00 2026';
const INNER = 'From alice@corp.example Sun Nov 29 09:00:00 2026';
const head2 = [
  'From: Bob <bob@corp.example>',
  'Subject: cards',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="z"',
];
// The second message's body: a quoted From_ line (unquoted, as mboxcl2 writes it) inside its text part.
const body2 = (inner: string) =>
  [
    '--z',
    'Content-Type: text/plain',
    '',
    'Forwarded:',
    '',
    inner,
    'Subject: old',
    '',
    ...csvAttachment(b64),
    '',
  ].join('\n');
const first = (extraHead: string[], body: string) =>
  [
    ENV1,
    'From: Bob <bob@corp.example>',
    'Subject: one',
    'MIME-Version: 1.0',
    'Content-Type: text/plain',
    ...extraHead,
    '',
    body,
  ].join('\n');
// mutt (mbox.c) trusts a Content-Length when the byte after the body and its blank line ends the file or starts
// a `From ` line: each message is followed by one blank line, as mutt writes mboxcl2.
const send = (file: string) =>
  kit.outbound(outboundFile('Sent.mbox', Buffer.from(`${file}\n`, 'latin1'), 'application/mbox'));

describe('A39-4 mboxcl2: a Content-Length field mutt reads (atol, unfolded) and the reader does not', () => {
  const second = (cl: (n: number) => string) => {
    const body = body2(INNER);
    return [ENV2, ...head2, cl(Buffer.byteLength(body)), '', body].join('\n');
  };
  it('control: plain Content-Length: N', async () => {
    expect(
      await send([first(['Content-Length: 6'], 'hello\n'), second((n) => `Content-Length: ${n}`)].join('\n')),
    ).toBe('BOUNCE');
  });
  it('Content-Length: N; (atol reads the digits)', async () => {
    expect(
      await send(
        [first(['Content-Length: 6'], 'hello\n'), second((n) => `Content-Length: ${n};`)].join('\n'),
      ),
    ).toBe('BOUNCE');
  });
  it('Content-Length folded onto a continuation line', async () => {
    expect(
      await send(
        [first(['Content-Length: 6'], 'hello\n'), second((n) => `Content-Length:\n ${n}`)].join('\n'),
      ),
    ).toBe('BOUNCE');
  });
  it('Content-Length: +N', async () => {
    expect(
      await send(
        [first(['Content-Length: 6'], 'hello\n'), second((n) => `Content-Length: +${n}`)].join('\n'),
      ),
    ).toBe('BOUNCE');
  });
});

describe('A39-5 mboxcl2: the Content-Length chain led astray by a body line of the first message', () => {
  const second = () => {
    const body = body2(INNER);
    return [ENV2, ...head2, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\n');
  };
  it('control: first message body plain', async () => {
    expect(await send([first([], 'hello\n'), second()].join('\n'))).toBe('BOUNCE');
  });
  it('first message (no Content-Length) body holds `From the desk of Bob:` then `Content-Length: 2`', async () => {
    expect(
      await send(
        [first([], 'hello\n\nFrom the desk of Bob:\nContent-Length: 2\n\nRegards\n'), second()].join('\n'),
      ),
    ).toBe('BOUNCE');
  });
});
