/** A message with a text body and a base64 attachment of `size` bytes (76-character lines, CRLF). */
export function largeMessage(attachment: Buffer, lines: (encoded: string[]) => string[] = (l) => l): Buffer {
  const encoded = attachment.toString('base64').match(/.{1,76}/g) ?? [];
  return Buffer.from(
    [
      'From: Reports <reports@partner.example>',
      'To: team@corp.example',
      'Subject: Monthly export',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'Message-ID: <export@partner.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The export is attached.',
      '--outer',
      'Content-Type: application/octet-stream; name="export.bin"',
      'Content-Disposition: attachment; filename="export.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      ...lines(encoded),
      '--outer--',
      '',
    ].join('\r\n'),
    'latin1',
  );
}
