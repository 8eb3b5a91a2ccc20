/**
 * A small message whose Authentication-Results header (from `amazonses.com`, or `authServId`) reports
 * `result` for SPF, DKIM and DMARC on `domain`.
 */
export function authMessage(
  domain: string,
  result: 'pass' | 'fail' | 'none',
  authServId = 'amazonses.com',
): string {
  return [
    `Authentication-Results: ${authServId}; spf=${result} smtp.mailfrom=${domain}; dkim=${result} header.d=${domain}; dmarc=${result} header.from=${domain}`,
    `From: someone@${domain}`,
    'To: all-staff@corp.example',
    'Subject: hello',
    'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'Message-ID: <auth-test@example>',
    '',
    'Hello.',
    '',
  ].join('\r\n');
}
