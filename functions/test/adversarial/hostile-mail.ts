/** Hostile messages for the adversarial suite, generated from docs/threat-model.md (no fixtures copied). */

const CRLF = '\r\n';

function head(lines: string[]): string {
  return [...lines, 'Date: Sun, 29 Nov 2026 10:00:00 +0000', 'MIME-Version: 1.0'].join(CRLF);
}

/** An inbound message SES marked as a virus, carrying an executable. */
export function virusWithExe(from = 'x@evil.example'): Buffer {
  return Buffer.from(
    [
      head([
        'X-SES-Virus-Verdict: FAIL',
        'X-SES-Spam-Verdict: PASS',
        `From: <${from}>`,
        'To: bob@corp.example',
        'Subject: invoice',
        'Message-ID: <virus@evil.example>',
        'Content-Type: multipart/mixed; boundary="b1"',
      ]),
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'See attached.',
      '--b1',
      'Content-Type: application/octet-stream; name="invoice.exe"',
      'Content-Disposition: attachment; filename="invoice.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('MZ\x90\x00 not really a program').toString('base64'),
      '--b1--',
      '',
    ].join(CRLF),
  );
}

/** An outbound message with a payment card number in its body. */
export function cardNumbers(from = 'dan@corp.example'): Buffer {
  return Buffer.from(
    [
      head([
        `From: <${from}>`,
        'To: someone@partner.example',
        'Subject: details',
        'Message-ID: <card@corp.example>',
      ]),
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'The card is 4111 1111 1111 1111, expiry 12/29.',
      '',
    ].join(CRLF),
  );
}

/**
 * An HTML body of about `bytes`: 900 nested <blockquote> tags (under mailparser's nesting limit of 1000)
 * around short lines. mailparser's HTML-to-text quotes every line once per level: 107 KB takes ~20 s.
 */
export function nestedBlockquotes(bytes: number): Buffer {
  const open = '<blockquote>'.repeat(900);
  const lines = 'line<br>'.repeat(Math.max(1, Math.floor((bytes - open.length) / 8)));
  const body = `<html><body>${open}hello ${lines}</body></html>`;
  return Buffer.from(
    [
      head([
        'From: <x@partner.example>',
        'To: bob@corp.example',
        'Subject: quoted',
        'Message-ID: <bq@partner.example>',
      ]),
      'Content-Type: text/html; charset=us-ascii',
      '',
      // Lines stay under 1000 octets.
      ...(body.match(/.{1,900}/g) ?? []),
      '',
    ].join(CRLF),
  );
}

/** A message whose header block is over 1 MiB (a folded X- header), with a Date the sender chose. */
export function hugeHeaderBlock(date = 'Mon, 1 Jan 1900 00:00:00 +0000'): Buffer {
  const fold = Array.from({ length: 12_000 }, () => ` ${'a'.repeat(90)}`).join(CRLF);
  return Buffer.from(
    [
      'From: <x@partner.example>',
      'To: bob@corp.example',
      'Subject: big head',
      `Date: ${date}`,
      'Message-ID: <huge@partner.example>',
      `X-Pad: start${CRLF}${fold}`,
      '',
      'body',
      '',
    ].join(CRLF),
  );
}
