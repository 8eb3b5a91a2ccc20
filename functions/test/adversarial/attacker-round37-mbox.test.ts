import { describe, expect, it } from 'vitest';
import { attackerKit, csvAttachment, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 37 (session 29) against round 36's fixes: each case got past outbound-policy before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const b64 = Buffer.from(`name,card\r\nBob,${CARD}\r\n`).toString('base64');
const ENV1 = 'From bob@corp.example Sun Nov 29 10:00:00 2026';
const ENV2 = 'From bob@corp.example Sun Nov 29 10:01:00 2026';

const first = (extra: string[] = []) =>
  [
    ENV1,
    'From: Bob <bob@corp.example>',
    'Subject: one',
    'MIME-Version: 1.0',
    'Content-Type: text/plain',
    ...extra,
    '',
    'hello',
    '',
  ].join('\n');
const body2 = (inner: string) =>
  ['--z', 'Content-Type: text/plain', '', 'Notes:', '', inner, 'more notes', ...csvAttachment(b64), ''].join(
    '\n',
  );
const head2 = [
  'From: Bob <bob@corp.example>',
  'Subject: cards',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="z"',
];
const second = (inner: string, length = false) => {
  const body = body2(inner);
  return [ENV2, ...head2, ...(length ? [`Content-Length: ${Buffer.byteLength(body)}`] : []), '', body].join(
    '\n',
  );
};
const send = (file: string) =>
  kit.outbound(outboundFile('Export.mbox', Buffer.from(file, 'latin1'), 'application/mbox'));

// mutt (is_from), Dovecot and neomutt take a line as a separator only when it parses as a From_ line (an address,
// then a date): `From the desk of Bob` is body text to them, with or without Content-Length.
describe('A37-1 mbox: a body line `From ` that is no From_ line', () => {
  it('control: the body line quoted `>From` bounces', async () => {
    expect(await send([first(), second('>From the desk of Bob')].join('\n'))).toBe('BOUNCE');
  });
  it('an unquoted `From the desk of Bob` after a blank line (mboxo/mboxrd as mutt reads it)', async () => {
    expect(await send([first(), second('From the desk of Bob')].join('\n'))).toBe('BOUNCE');
  });
  // mutt honours each message's own Content-Length: the first without one does not stop it using the second's.
  it('mboxcl2: only the second message has a Content-Length, its body holds a valid From_ line', async () => {
    expect(await send([first(), second(`${ENV2}`, true)].join('\n'))).toBe('BOUNCE');
  });
  it('control: mboxcl2, both have Content-Length, valid From_ line in body, bounces', async () => {
    const one = first(['Content-Length: 6']);
    expect(await send([one, second(`${ENV2}`, true)].join('\n'))).toBe('BOUNCE');
  });
});

// MMDF: mutt ends a message only at a line that is exactly four ^A bytes (strcmp with "\1\1\1\1\n").
describe('A37-2 MMDF: four ^A bytes inside a line', () => {
  const sep = '\x01\x01\x01\x01';
  const strip = (m: string) => m.split('\n').slice(1).join('\n');
  it('control: MMDF, card in the second message, bounces', async () => {
    expect(await send([sep, strip(first()), sep, sep, strip(second('notes')), sep, ''].join('\n'))).toBe(
      'BOUNCE',
    );
  });
  it('MMDF, a body line holding ^A^A^A^A before the attachment', async () => {
    expect(await send([sep, strip(first()), sep, sep, strip(second(`x${sep}y`)), sep, ''].join('\n'))).toBe(
      'BOUNCE',
    );
  });
});

// Babyl (Emacs Rmail before 23, still opened and converted by Rmail and read by Gnus' nnbabyl): `BABYL OPTIONS:`
// then messages after `\x1f\f` lines, each `0, unseen,,` then its header, `*** EOOH ***`, the header again, the body.
describe('A37-3 Babyl mailbox', () => {
  it("Babyl file, card in a message's base64 attachment", async () => {
    const m = second('notes').split('\n').slice(1).join('\n');
    const [h, ...rest] = m.split('\n\n');
    const file = [
      'BABYL OPTIONS: -*- rmail -*-',
      'Version: 5',
      'Labels:',
      'Note:   This is the header of an rmail file.',
      '\x1f\f',
      '0, unseen,,',
      h,
      '*** EOOH ***',
      h,
      '',
      rest.join('\n\n'),
      '\x1f',
    ].join('\n');
    expect(
      await kit.outbound(outboundFile('RMAIL', Buffer.from(file, 'latin1'), 'application/octet-stream')),
    ).toBe('BOUNCE');
  });
});
