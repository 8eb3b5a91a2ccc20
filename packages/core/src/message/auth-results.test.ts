import { seededRandom } from '@wmflow/local';
import { describe, expect, it } from 'vitest';
import { authVerdicts, parseAuthenticationResults, stripComments } from './auth-results.js';
import { MessageHeaders } from './headers.js';

// The comment rule, one character at a time: the reference the run-copying stripComments must equal.
function referenceStrip(value: string): string {
  let depth = 0;
  let out = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

describe('Authentication-Results', () => {
  it('drops comments as the character-by-character rule does (nested, unclosed, stray closing, surrogates)', () => {
    const pieces = ['(', ')', 'a', ' ', ';', '=', '\u{1F600}', '\\', '"', 'dkim=pass', '(c)'];
    const random = seededRandom(7);
    const next = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 5000; i++) {
      let value = '';
      for (let j = next(24); j > 0; j--) value += pieces[next(pieces.length)];
      expect(stripComments(value), JSON.stringify(value)).toBe(referenceStrip(value));
    }
  });

  it('reads the trusted server’s header and skips the others, whatever their comments', () => {
    const block = Buffer.from(
      [
        'Authentication-Results: mx.other.example (relay; spf=fail); dmarc=fail',
        'Authentication-Results: (first) amazonses.com (inbound); spf=pass (sender ok) smtp.mailfrom=a@b.example;',
        ' dkim=pass header.d=b.example; dmarc=fail (p=reject) header.from=b.example',
        'X-SES-Spam-Verdict: PASS',
        '',
        '',
      ].join('\r\n'),
    );
    const v = authVerdicts(new MessageHeaders(block));
    expect(v).toMatchObject({
      authServId: 'amazonses.com',
      spf: 'pass',
      dkim: 'pass',
      dmarc: 'fail',
      sesSpam: 'PASS',
    });
    expect(v.methods.map((m) => m.method)).toEqual(['spf', 'dkim', 'dmarc']);
    expect(authVerdicts(new MessageHeaders(block), ['mx.other.example'])).toMatchObject({
      authServId: 'mx.other.example',
      dmarc: 'fail',
    });
    expect(authVerdicts(new MessageHeaders(block), ['nobody.example']).authServId).toBeUndefined();
    expect(parseAuthenticationResults('(only a comment)')).toBeUndefined();
    expect(parseAuthenticationResults('(unclosed amazonses.com; spf=pass')).toBeUndefined();
  });

  it('reads a quoted string as one value: an echoed envelope sender cannot add a result (attacker round 43, A43-1)', () => {
    // SES echoes the SMTP MAIL FROM; RFC 5321 lets a quoted local part hold `;`, `=`, spaces and parentheses.
    const from = '"x; dkim=pass header.d=corp.example; (x"@evil.example';
    const value = `amazonses.com; spf=pass client-ip=203.0.113.9; envelope-from=${from}; helo=mx.evil.example; dkim=fail header.i=@evil.example; dmarc=fail header.from=corp.example`;
    const parsed = parseAuthenticationResults(value);
    expect(parsed?.methods.map((m) => `${m.method}=${m.result}`)).toEqual([
      'spf=pass',
      `envelope-from=${from}`,
      'helo=mx.evil.example',
      'dkim=fail',
      'dmarc=fail',
    ]);
    const block = (first: string) =>
      new MessageHeaders(
        Buffer.from(
          [
            `Authentication-Results: ${first}`,
            'Authentication-Results: amazonses.com; spf=pass; dkim=pass header.d=corp.example; dmarc=pass',
            '',
            '',
          ].join('\r\n'),
        ),
      );
    expect(authVerdicts(block(value))).toMatchObject({ dkim: 'fail', dmarc: 'fail' });
    // SES's header left unreadable (a quoted string never closed): nothing is known, and the sender's own
    // header below it is not read instead.
    const open = authVerdicts(block('amazonses.com; spf=pass envelope-from="x@evil.example; dkim=fail'));
    expect(open).toMatchObject({ methods: [] });
    expect([open.spf, open.dkim, open.dmarc, open.authServId]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
