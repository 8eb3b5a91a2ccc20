const CRLF = '\r\n';

/**
 * A MIME entity for tests: header lines, a blank line, the body (CRLF line ends).
 *
 * @example
 * ```ts
 * mimePart(['Content-Type: text/plain; name="a.vbs"'], 'MsgBox 1');
 * ```
 */
export function mimePart(headers: readonly string[], body = ''): string {
  return [...headers, '', body].join(CRLF);
}

/**
 * A `multipart/<subtype>` entity holding the given entities.
 *
 * @example
 * ```ts
 * mimeMultipart('b', [mimePart(['Content-Type: text/plain'], 'hi')]);
 * ```
 */
export function mimeMultipart(boundary: string, parts: readonly string[], subtype = 'mixed'): string {
  return [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, p]),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/**
 * A whole message: a few top-level headers (plus `extra`), then the entity (its content headers included).
 *
 * @example
 * ```ts
 * mimeMessage(mimePart(['Content-Type: text/plain'], 'hi'), ['X-SES-Virus-Verdict: FAIL']);
 * ```
 */
export function mimeMessage(entity: string, extra: readonly string[] = []): string {
  return ['From: a@sender.example', 'Subject: test', 'MIME-Version: 1.0', ...extra, entity].join(CRLF);
}

/**
 * A `message/rfc822` part attaching `entity` as a message of its own.
 *
 * @example
 * ```ts
 * mimeMultipart('o', [mimePart(['Content-Type: text/plain'], 'fw'), mimeAttached(mimePart(['Content-Type: text/plain'], 'x'))]);
 * ```
 */
export function mimeAttached(entity: string, headers: readonly string[] = []): string {
  return mimePart(['Content-Type: message/rfc822', ...headers], mimeMessage(entity));
}
