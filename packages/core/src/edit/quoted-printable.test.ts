import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quotedPrintable } from './quoted-printable.js';

// RFC 2045's decoding, written out here: soft breaks removed, escapes undone.
function decode(qp: Buffer, eol: string): Buffer {
  const text = qp.toString('latin1').split(`=${eol}`).join('');
  return Buffer.from(
    text.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  );
}

describe('quotedPrintable', () => {
  it('writes a break only for the message line end; other CR and LF are data', () => {
    expect(quotedPrintable(Buffer.from('a\r\nb\rc\nd'), '\r\n').toString()).toBe('a\r\nb=0Dc=0Ad');
    expect(quotedPrintable(Buffer.from('a\r\nb\nc'), '\n').toString()).toBe('a=0D\nb\nc');
  });

  it('never starts an encoded line with a dash, a soft break moving one there included', () => {
    const wrapped = quotedPrintable(Buffer.from(`${'x'.repeat(75)}--b--\r\n--b\r\n-`), '\r\n').toString();
    expect(wrapped.split('\r\n').filter((l) => l.startsWith('-'))).toEqual([]);
    expect(wrapped).toContain('=2D-b');
  });

  it('breaks a long line after a space near its end, so words stay whole', () => {
    const qp = quotedPrintable(Buffer.from(`${'word '.repeat(30)}end`), '\r\n').toString();
    expect(qp.split('=\r\n').every((l) => l.endsWith(' ') || l.endsWith('end'))).toBe(true);
    expect(qp.replaceAll('=\r\n', '')).toBe(`${'word '.repeat(30)}end`);
  });

  it('keeps lines to 76 characters, escapes whole, and decodes to the same bytes', () => {
    fc.assert(
      fc.property(
        // Any bytes, and bytes from the few that matter here (spaces, dashes, line ends, escapes).
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc
            .array(fc.constantFrom(0x20, 0x2d, 0x0d, 0x0a, 0x41, 0x3d, 0xff, 0x09), { maxLength: 600 })
            .map((a) => Uint8Array.from(a)),
        ),
        fc.constantFrom('\r\n', '\n'),
        (bytes, eol) => {
          const body = Buffer.from(bytes);
          const qp = quotedPrintable(body, eol as '\r\n' | '\n');
          const lines = qp.toString('latin1').split(eol);
          for (const line of lines) {
            expect(line.length).toBeLessThanOrEqual(76);
            expect(line.startsWith('-')).toBe(false);
            expect(/[ \t]$/.test(line)).toBe(false);
            expect(/[^\t\x20-\x7e]/.test(line)).toBe(false);
          }
          expect(decode(qp, eol).equals(body)).toBe(true);
        },
      ),
    );
  });
});
