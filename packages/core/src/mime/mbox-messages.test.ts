import { describe, expect, it } from 'vitest';
import { mailboxStart } from './carried-message.js';
import { mboxMessages } from './mbox-messages.js';
import { ReadingDeadline, ReadingTimeUp } from './reading-deadline.js';

const message = (subject: string, body = subject) =>
  `From: a@corp.example\nSubject: ${subject}\nMIME-Version: 1.0\n\n${body}\n`;
const separator = (n: number) => `From a@corp.example Tue Nov 24 09:0${n}:00 2026\n`;
const mbox = (...bodies: string[]) => bodies.map((m, i) => `${separator(i)}${m}\n`).join('');
const subjects = (bytes: Buffer) =>
  mboxMessages(bytes, 1000).messages.map((m) => /Subject: (\w+)/.exec(m.toString())?.[1]);

describe('mboxMessages', () => {
  it('splits at each `From ` line after a blank line, the `From ` line skipped', () => {
    const split = mboxMessages(Buffer.from(mbox(message('one'), message('two'), message('three'))), 1000);
    expect(split.messages.map(String)).toEqual([
      `${message('one')}\n`,
      `${message('two')}\n`,
      `${message('three')}\n`,
    ]);
  });

  it('reads CRLF as LF', () => {
    const crlf = mbox(message('one'), message('two')).replace(/\n/g, '\r\n');
    expect(subjects(Buffer.from(crlf))).toEqual(['one', 'two']);
  });

  it('skips a byte order mark and blank lines before the first `From ` line', () => {
    const text = `\uFEFF\r\n\n${mbox(message('one'), message('two'))}`;
    expect(subjects(Buffer.from(text))).toEqual(['one', 'two']);
  });

  it('does not split at `>From ` (quoted) or at `From` not at a line start', () => {
    const body = 'hi\n\n>From a@corp.example Tue Nov 24 2026\nMIME-Version: 1.0\n\nx From y\n';
    expect(subjects(Buffer.from(mbox(message('one', body))))).toEqual([]);
  });

  it('gives nothing for an mbox of one message: the text read whole is that message', () => {
    expect(mboxMessages(Buffer.from(mbox(message('one'))), 1000)).toEqual({ messages: [] });
  });

  it('also splits at a `From ` line with no blank line before it, and gives the message it interrupts too', () => {
    const interrupted = message('two', `see\n${separator(9)}MIME-Version: 1.0\nSubject: tail\n\nrest`);
    const split = mboxMessages(Buffer.from(mbox(message('one'), interrupted)), 1000).messages.map(String);
    expect(split.map((m) => /Subject: (\w+)/.exec(m)?.[1])).toEqual(['one', 'two', 'tail', 'two']);
    expect(split[3]).toContain('rest');
    expect(split[1]).not.toContain('rest');
  });

  it('does not give the whole text again when no `From ` line follows a blank line', () => {
    const tight = `${separator(0)}${message('one')}${separator(1)}${message('two')}`;
    expect(subjects(Buffer.from(tight))).toEqual(['one', 'two']);
  });

  it('gives only pieces that are MIME messages; a text that is no mbox gives none', () => {
    const prose = `${separator(0)}${message('one', 'see\n\nFrom here on, no header\nat all')}\n`;
    // `one` cut at its body's `From here on` (Thunderbird, mboxrd), and whole (mutt: no address and date there).
    expect(subjects(Buffer.from(`${prose}${separator(1)}${message('two')}`))).toEqual(['one', 'one', 'two']);
    expect(subjects(Buffer.from('From the desk of Ann\nDear Bob,\n\nFrom here on, plain.\n'))).toEqual([]);
    expect(subjects(Buffer.from('Dear Bob,\nFrom a Tue\nSubject: x\nMIME-Version: 1.0\n\nx'))).toEqual([]);
  });

  it('reads a message file that holds `From ` lines as an mbox whose first separator is missing', () => {
    expect(subjects(Buffer.from(`${message('one')}\n${separator(1)}${message('two')}`))).toEqual([
      'one',
      'two',
    ]);
  });

  it('gives none, and says why, past the bound of messages', () => {
    const many = Buffer.from(mbox(...Array.from({ length: 11 }, (_, i) => message(`m${i}`))));
    expect(mboxMessages(many, 11).messages).toHaveLength(11);
    expect(mboxMessages(many, 10)).toEqual({ messages: [], unread: 'an mbox of more than 10 messages' });
  });

  it('stops at the bound on a huge number of tiny messages (linear work: bench:linear)', () => {
    const tiny = Buffer.from(`${separator(0)}MIME-Version: 1.0\n\nx\n\n`.repeat(500_000));
    expect(mboxMessages(tiny, 1000).unread).toBe('an mbox of more than 1000 messages');
    const lines = Buffer.from(`${separator(0)}${'From x\n'.repeat(50_000)}`);
    expect(mboxMessages(lines, 1000).messages).toEqual([]);
  });

  it('stops at the deadline', () => {
    const lines = Buffer.from(`${separator(0)}${'From x\n'.repeat(5000)}`);
    expect(() => mboxMessages(lines, 1000, new ReadingDeadline(Date.now() - 1))).toThrow(ReadingTimeUp);
  });
});

describe('mailboxes beyond mboxrd (attacker round 36)', () => {
  it('knows a mailbox by its first line, whatever bytes follow', () => {
    expect(mailboxStart(Buffer.from(`\n${separator(0)}${message('one', 'a\0b')}`))).toBe('mbox');
    expect(mailboxStart(Buffer.from('\x01\x01\x01\x01\r\nFrom: a\n'))).toBe('mmdf');
    expect(mailboxStart(Buffer.from('Subject: x\n\nFrom here'))).toBeUndefined();
  });
  it('ends a message by its Content-Length (mboxcl2), where a body holds an unquoted `From ` line', () => {
    const body = 'Notes:\n\nFrom the desk of Bob\nsecond line\n';
    const cl = (subject: string, text: string) =>
      `${separator(0)}From: a@corp.example\nSubject: ${subject}\nMIME-Version: 1.0\nContent-Length: ${text.length}\n\n${text}\n`;
    const file = Buffer.from(cl('one', 'hi\n') + cl('two', body));
    const whole = mboxMessages(file, 1000).messages.map(String);
    expect(whole.some((m) => m.includes('Subject: two') && m.includes('second line'))).toBe(true);
    // Where the Content-Length split agrees with the `From ` split, the message is not read twice.
    const plain = Buffer.from(cl('one', 'hi\n') + cl('two', 'there\n'));
    expect(subjects(plain)).toEqual(['one', 'two']);
  });
  it('splits an MMDF mailbox at its lines of four ^A', () => {
    const sep = '\x01\x01\x01\x01\n';
    const file = Buffer.from(`${sep}${message('one')}${sep}${sep}${message('two')}${sep}`);
    expect(subjects(file)).toEqual(['one', 'two']);
    expect(mboxMessages(file, 1).unread).toBe('an mbox of more than 1 messages');
  });
});

describe('mailboxes as mutt reads them (attacker round 37)', () => {
  it('splits only at `From ` lines with an address and a date, besides the other splits', () => {
    const body = 'Notes:\n\nFrom the desk of Bob\nMIME-Version: 1.0\n\nattached';
    const file = Buffer.from(`${separator(0)}${message('one')}\n${separator(1)}${message('two', body)}\n`);
    const whole = mboxMessages(file, 1000).messages.map(String);
    expect(whole.some((m) => m.includes('Subject: two') && m.includes('attached'))).toBe(true);
  });
  it('takes each message by its own Content-Length, past one that has none', () => {
    const text = 'From the desk\n\nFrom Bob, body\n';
    const file = Buffer.from(
      `${separator(0)}${message('one')}\n${separator(1)}From: a\nSubject: two\nMIME-Version: 1.0\nContent-Length: ${text.length}\n\n${text}\n`,
    );
    const two = mboxMessages(file, 1000).messages.map(String);
    expect(two.some((m) => m.includes('Subject: two') && m.includes('From Bob, body'))).toBe(true);
  });
  it('splits MMDF only at a line of four ^A alone, and leaves Babyl unread', () => {
    const sep = '\x01\x01\x01\x01\n';
    const inline = `From: a\nSubject: one\nMIME-Version: 1.0\n\nx\x01\x01\x01\x01y\nend\n`;
    expect(mboxMessages(Buffer.from(`${sep}${inline}${sep}`), 1000).messages.map(String)).toEqual([inline]);
    expect(mboxMessages(Buffer.from('BABYL OPTIONS: -*- rmail -*-\n\x1f\f\n'), 1000).unread).toBe(
      'a Babyl mailbox, which is not read',
    );
  });
});
