import { randomBytes } from 'node:crypto';

const CRLF = '\r\n';

/**
 * A realistic inbound message of about `totalBytes`: SES headers, a text and
 * HTML body, and one base64 attachment filling the rest.
 */
export function messageOfSize(totalBytes: number, spamVerdict = 'PASS'): Buffer {
  const head = [
    'Return-Path: <reports@partner.example>',
    'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=partner.example; dkim=pass header.i=@partner.example; dmarc=pass header.from=partner.example;',
    `X-SES-Spam-Verdict: ${spamVerdict}`,
    'X-SES-Virus-Verdict: PASS',
    'From: Reports <reports@partner.example>',
    'To: team@corp.example',
    'Subject: Monthly export',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <export-2026-11@partner.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="bench-b"',
    '',
    '--bench-b',
    'Content-Type: multipart/alternative; boundary="bench-alt"',
    '',
    '--bench-alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The monthly export is attached.',
    '--bench-alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><p>The monthly export is attached.</p></body></html>',
    '--bench-alt--',
    '--bench-b',
    'Content-Type: application/octet-stream; name="export.bin"',
    'Content-Disposition: attachment; filename="export.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join(CRLF);
  const tail = `${CRLF}--bench-b--${CRLF}`;
  const room = Math.max(0, totalBytes - head.length - tail.length);
  const rawBytes = Math.floor((room / 78) * 57); // 76 base64 chars + CRLF per 57 bytes
  const b64 = randomBytes(rawBytes).toString('base64').replace(/.{76}/g, `$&${CRLF}`).replace(/\r\n$/, '');
  return Buffer.concat([Buffer.from(head), Buffer.from(b64), Buffer.from(tail)]);
}

/** The encoded body of the message's attachment, as `messageOfSize` wrote it. */
export function attachmentBody(message: Buffer): Buffer {
  const start =
    message.indexOf('Content-Transfer-Encoding: base64\r\n\r\n') +
    'Content-Transfer-Encoding: base64\r\n\r\n'.length;
  return message.subarray(start, message.indexOf('\r\n--bench-b--', start));
}
