import { finished } from 'node:stream/promises';
import { makeFlowEvent } from '@wmflow/core/testing';
import { Splitter } from '@zone-eu/mailsplit';
import { describe, expect, it } from 'vitest';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { attackerKit, mail } from './adversarial/attacker-kit.js';
import { useLocalStack } from './adversarial/stack.js';
import { invoke } from './fault-harness.js';

// Fault round 45, end to end through the prebuilt functions:
// - F45-1: the guard's banner re-encoded a base64 text part as quoted-printable with its line breaks and `-` as
//   they were, so a `--b` line inside it (data while base64) became a delimiter: the guard read one harmless text
//   part and delivered a message with a `run.exe` attachment it, the attachment policy and the DLP never read.
// - F45-2: the banner spliced beside a byte that does not decode wrote the body's bare CR literally: the guard
//   delivered a message that it bounces when it reads it again (a bare CR before a delimiter-like line).
// - F45-5: outbound-policy's bottom disclaimer, spliced beside a byte that does not decode, trimmed a long run of
//   blank lines with a quadratic regex: the handler blocked the event loop past the Lambda's time.
const CRLF = '\r\n';
const stack = useLocalStack();
const kit = attackerKit(stack);
const MIXED = 'Content-Type: multipart/mixed; boundary="b"';
const FROM = 'From: "Accounts" <ap@evil.example>';

/** The content types of the leaf parts of `bytes` as mailsplit reads them. */
async function leafTypes(bytes: Buffer): Promise<string[]> {
  const splitter = new Splitter({ ignoreEmbedded: true });
  const types: string[] = [];
  splitter.on('data', (data) => {
    if (data.type === 'node' && !data.multipart) types.push(String(data.contentType));
  });
  splitter.resume();
  const done = finished(splitter);
  splitter.end(bytes);
  await done;
  return types;
}

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1').toString('base64');
/** An attachment's delimiter, headers and body, written as lines of text. */
const HIDDEN_PART = Buffer.from(
  [
    '--b',
    'Content-Type: application/octet-stream; name="run.exe"',
    'Content-Disposition: attachment; filename="run.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    EXE,
    '',
  ].join(CRLF),
  'latin1',
);

describe('F45-1 (guard): the banner edit must not turn text the guard read into an attachment it never saw', () => {
  it('control: the same run.exe as a real part is bounced', async () => {
    const message = mail(
      [FROM, MIXED],
      Buffer.concat([
        Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nPlease see the invoice.\r\n'),
        HIDDEN_PART,
        Buffer.from('--b--\r\n'),
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });

  it('a base64 text part holding the part as text (and a byte that does not decode): no run.exe delivered', async () => {
    const text = Buffer.concat([
      Buffer.from('Please see the invoice.\r\n'),
      Buffer.from([0xff, 0x0d, 0x0a]),
      HIDDEN_PART,
    ]);
    const message = mail(
      [FROM, MIXED],
      [
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        text.toString('base64'),
        '--b--',
        '',
      ].join(CRLF),
    );
    expect(await leafTypes(message)).toEqual(['text/plain']);
    const { verdict, delivered } = await kit.inbound(message);
    // A refusal delivers nothing; a delivery is one text part, with the banner.
    if (verdict !== 'DEFAULT') return;
    expect(delivered.toString('latin1')).toMatch(/outside the organi/);
    expect(await leafTypes(delivered)).toEqual(['text/plain']);
  });
});

describe('F45-2 (guard): what the guard delivers is a message it accepts', () => {
  it('a bare CR before a delimiter-like line inside a base64 part, banner spliced: delivered, then accepted again', async () => {
    const payload = Buffer.from(
      'Please see below \x81\r--b\r\nContent-Type: text/html\r\n\r\n<a href="https://evil.example/">Open the invoice</a>\r\n',
      'latin1',
    );
    const message = mail(
      [FROM, MIXED],
      [
        '--b',
        'Content-Type: text/plain; charset=windows-1252',
        'Content-Transfer-Encoding: base64',
        '',
        payload.toString('base64'),
        '--b--',
        '',
      ].join(CRLF),
    );
    const first = await kit.inbound(message);
    expect(first.verdict).toBe('DEFAULT');
    expect(first.delivered.toString('latin1')).toMatch(/outside the organi/);
    expect((await kit.inbound(first.delivered)).verdict).toBe('DEFAULT');
  });
});

describe('F45-5 (outbound-policy): the bottom disclaimer on 150 kB of blank lines and a byte that does not decode', () => {
  it('answers with the disclaimer added, the update committed before the Lambda’s 8 s deadline', async () => {
    const message = Buffer.concat([
      Buffer.from(
        [
          'From: Alice <alice@corp.example>',
          'To: bob@partner.example',
          'Subject: report',
          'Date: Sat, 05 Dec 2026 10:00:00 +0000',
          'Message-ID: <f45-5@corp.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=windows-1252',
          'Content-Transfer-Encoding: 8bit',
          '',
          'Report attached below.',
          '',
        ].join(CRLF),
      ),
      Buffer.from(' \r\n'.repeat(50_000)),
      Buffer.from('Regards, Alice \x81\r\n', 'latin1'),
    ]);
    const id = stack().flow.load(message);
    const handler = outboundPolicy({
      DISCLAIMER_TEXT: 'Confidential.',
      UPDATES_BUCKET: 'updates',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const run = await invoke(
      handler,
      makeFlowEvent({
        messageId: id,
        direction: 'OUTBOUND',
        mailFrom: 'alice@corp.example',
        recipients: ['bob@partner.example'],
      }),
      8_000,
    );
    // The edit is synchronous: quadratic, it held the event loop past the deadline, and the update was then
    // skipped as too late (the disclaimer missing). The outcome is asserted, not a time.
    expect(run.error, `answered ${JSON.stringify(run.response ?? run.error?.message)}`).toBeUndefined();
    expect(stack().flow.history(id).at(-1)?.content.toString('latin1')).toContain('Confidential.');
  }, 180_000);
});
