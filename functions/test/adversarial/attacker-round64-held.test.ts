import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 64, held: tricks tried on the guard's attachment check that were already refused (MIME structure as
// lenient clients read it, transfer encodings, encoded-word names in odd charsets, zip entry names).
const stack = useLocalStack();
const kit = attackerKit(stack);

const VBS = Buffer.from('MsgBox "wmflow-attacker-r64"\r\n').toString('base64');
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(100, 0x90)]);
const word = (charset: string, bytes: Buffer) => `=?${charset}?B?${bytes.toString('base64')}?=`;
/** A `.vbs` part whose type carries `params`. */
const named = (params: string) =>
  mail(
    [MIXED],
    withPart(
      `Content-Type: application/octet-stream; ${params}\r\nContent-Transfer-Encoding: base64\r\n\r\n${VBS}`,
    ),
  );
/** A part with these header lines (and a base64 VBScript body). */
const headed = (...lines: string[]) => mail([MIXED], withPart(`${lines.join('\r\n')}\r\n\r\n${VBS}`));
/** An executable in a part declared a PDF, in transfer encoding `cte`. */
const encodedAs = (cte: string, body = MZ.toString('base64')) =>
  mail(
    [MIXED],
    withPart(
      `Content-Type: application/pdf; name="doc.pdf"\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}`,
    ),
  );
/** A whole message whose root multipart is declared by `type`, with a `.vbs` part inside (boundary `boundary`). */
const rooted = (type: string, boundary = 'b') =>
  mail(
    [`Content-Type: ${type}`],
    [
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'hello',
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="invoice.vbs"',
      'Content-Transfer-Encoding: base64',
      '',
      VBS,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );

const HELD: Record<string, Buffer> = {
  'white space before the colon of Content-Disposition': headed(
    'Content-Type: application/octet-stream',
    'Content-Disposition : attachment; filename="invoice.vbs"',
    'Content-Transfer-Encoding: base64',
  ),
  'a tab before the colon of Content-Type': headed(
    'Content-Type\t: application/octet-stream; name="invoice.vbs"',
    'Content-Transfer-Encoding: base64',
  ),
  'a blank-looking line (one space) inside the header block': headed(
    'Content-Type: application/octet-stream',
    ' ',
    'Content-Disposition: attachment; filename="invoice.vbs"',
    'Content-Transfer-Encoding: base64',
  ),
  'a line without a colon inside the header block': headed(
    'Content-Type: application/octet-stream',
    'garbage',
    'Content-Disposition: attachment; filename="invoice.vbs"',
    'Content-Transfer-Encoding: base64',
  ),
  'an encoded word with an RFC 2231 language (utf-8*en)': named('name="=?utf-8*en?Q?invoice.vbs?="'),
  'an encoded word inside a word (invoice=?…?=)': named('name="invoice=?utf-8?Q?=2Evbs?="'),
  'base64 without padding in an encoded word': named('name="=?utf-8?B?aW52b2ljZS52YnM?="'),
  'two encoded words split inside the extension': named('name="=?UTF-8?Q?invoice=2Evb?= =?UTF-8?Q?s?="'),
  'an unquoted encoded word': named('name==?utf-8?B?aW52b2ljZS52YnM=?='),
  'charset utf8 (no dash)': named(`name="${word('utf8', Buffer.from('invoice.vbs'))}"`),
  'charset x-mac-roman': named(`name="${word('x-mac-roman', Buffer.from('invoice.vbs'))}"`),
  'charset unicode-1-1-utf-7': named('name="=?unicode-1-1-utf-7?Q?invoice+AC4-vbs?="'),
  'charset utf-16le': named(`name="${word('utf-16le', Buffer.from('inv.vbs', 'utf16le'))}"`),
  'charset utf-16 with a byte-order mark': named(
    `name="${word('utf-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('inv.vbs', 'utf16le')]))}"`,
  ),
  'charset utf-32le': named(
    `name="${word('utf-32le', Buffer.from('i\0\0\0.\0\0\0v\0\0\0b\0\0\0s\0\0\0', 'latin1'))}"`,
  ),
  'charset hz-gb-2312 with an empty shift': named('name="=?hz-gb-2312?Q?invoice~{~}.vbs?="'),
  'charset iso-2022-jp with an escape inside the extension': named(
    `name="${word('iso-2022-jp', Buffer.from('invoice.v\x1b(Bbs', 'latin1'))}"`,
  ),
  'multipart/mixed without the semicolon before boundary': rooted('multipart/mixed boundary="b"'),
  'a comma instead of a semicolon before boundary': rooted('multipart/mixed, boundary="b"'),
  'delimiters in another case than the boundary': rooted('multipart/mixed; boundary="b"', 'B'),
  'transfer encoding x-uue': encodedAs('x-uue', `begin 644 invoice.exe\r\n${'`'}\r\nend`),
  'transfer encoding x-yencode': encodedAs(
    'x-yencode',
    '=ybegin line=128 size=3 name=doc.pdf\r\nwdf\r\n=yend size=3',
  ),
  'transfer encoding "base64; x=y"': encodedAs('base64; x=y'),
  'base64 behind junk characters': encodedAs('base64', `!!!!${MZ.toString('base64')}`),
};

describe('attacker round 64: held', () => {
  for (const [name, message] of Object.entries(HELD))
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  const zips: Record<string, string> = {
    'a zip entry cut by a NUL (invoice.js\\0.pdf)': 'invoice.js\0.pdf',
    'a zip entry named for an NTFS stream (invoice.pdf:x.js)': 'invoice.pdf:x.js',
    'a zip entry with trailing dots and spaces (invoice.js. . )': 'invoice.js. . ',
    'a zip entry inside an app bundle whose script has an extension (Invoice.app/…/run.sh)':
      'Invoice.app/Contents/MacOS/run.sh',
  };
  for (const [name, entry] of Object.entries(zips))
    it(`bounces ${name}`, async () => {
      const [message] = attachedFile(
        'docs.zip',
        zipFile([{ name: entry, data: '#!/bin/sh\nWScript.Echo(1)\n' }]),
      );
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  it('bounces a multipart container named invoice.vbs', async () => {
    const part = [
      'Content-Type: multipart/mixed; boundary="c"; name="invoice.vbs"',
      'Content-Disposition: attachment; filename="invoice.vbs"',
      '',
      '--c',
      'Content-Type: text/plain',
      '',
      'MsgBox 1',
      '--c--',
    ].join('\r\n');
    expect((await kit.inbound(mail([MIXED], withPart(part)))).verdict).toBe('BOUNCE');
  });
});
