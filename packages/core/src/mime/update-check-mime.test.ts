import { describe, expect, it } from 'vitest';
import { checkUpdate } from './update-check.js';

const HEAD = [
  'Date: Tue, 24 Nov 2026 10:00:00 +0000',
  'From: alice@example.net',
  'Subject: s',
  'MIME-Version: 1.0',
];

function mime(lines: string[]): Buffer {
  return Buffer.from([...HEAD, ...lines, ''].join('\r\n'), 'latin1');
}

const ORIGINAL = mime(['', 'x']);

async function problems(lines: string[]): Promise<string[]> {
  const result = await checkUpdate(ORIGINAL, mime(lines));
  return result.ok ? [] : result.problems.map((problem) => `${problem.code}: ${problem.reason}`);
}

const ALTERNATIVE = [
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  'preamble',
  '--b1',
  'Content-Type: text/plain',
  '',
  'plain',
  '--b1',
  'Content-Type: text/html',
  '',
  '<p>html</p>',
  '--b1--',
  'epilogue',
];

describe('checkUpdate: MIME structure', () => {
  it('accepts a well-formed multipart with a nested multipart, an attachment and a message/rfc822', async () => {
    expect(
      await problems([
        'Content-Type: multipart/mixed; boundary=outer',
        '',
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        'Content-Type: text/plain',
        '',
        'hi',
        '--inner--',
        '--outer',
        'Content-Type: application/pdf; name="a.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--outer',
        'Content-Type: message/rfc822',
        '',
        'From: x@example.org',
        'Subject: forwarded',
        '',
        'body',
        '--outer--',
      ]),
    ).toEqual([]);
  });

  it('rejects a header line that is not a field', async () => {
    expect(await problems(['this is not a header', '', 'x'])).toEqual([
      `malformed-header: line ${HEAD.length + 1} is neither a header field nor a folded line`,
    ]);
  });

  it('rejects a multipart without boundary, and one never closed', async () => {
    expect(await problems(['Content-Type: multipart/mixed', '', 'x'])).toEqual([
      'malformed-mime: multipart at line 1 has no boundary parameter',
    ]);
    expect(await problems(ALTERNATIVE.slice(0, -2))).toEqual([
      `malformed-mime: multipart opened at line 1 is never closed by "--b1--"`,
    ]);
  });

  it('rejects a nested multipart closed by its parent boundary, and a multipart with no parts', async () => {
    const inner = [
      '--outer',
      'Content-Type: multipart/related; boundary=in',
      '',
      '--in',
      '',
      'a',
      '--outer--',
    ];
    expect(await problems(['Content-Type: multipart/mixed; boundary=outer', '', ...inner])).toEqual([
      `malformed-mime: multipart opened at line ${HEAD.length + 4} is not closed before line ${HEAD.length + 9}`,
    ]);
    expect(await problems(['Content-Type: multipart/mixed; boundary=e', '', '--e--'])).toEqual([
      'malformed-mime: multipart at line 1 has no parts',
    ]);
  });

  it('rejects an unknown transfer encoding and non-base64 content in a base64 part', async () => {
    expect(await problems(['Content-Transfer-Encoding: x-uuencode', '', 'x'])).toEqual([
      'malformed-mime: unknown Content-Transfer-Encoding "x-uuencode" in the part at line 1',
    ]);
    expect(await problems(['Content-Transfer-Encoding: base64', '', 'aGVsbG8=', 'not base64!'])).toEqual([
      `malformed-mime: line ${HEAD.length + 4} is not base64 in a base64-encoded part`,
    ]);
  });

  it('accepts a plain multipart/alternative and a part header ending at its blank line', async () => {
    expect(await problems(ALTERNATIVE)).toEqual([]);
  });
});

describe('checkUpdate: hostile input stays bounded', () => {
  it('reports one problem for a 20 MB line without keeping it', async () => {
    const huge = Buffer.concat([mime(['']), Buffer.alloc(20 * 1024 * 1024, 0x61)]);
    const result = await checkUpdate(ORIGINAL, huge);
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['line-too-long']);
  });

  it('gives up on 100 000 nested multiparts with a limit problem', async () => {
    const lines = ['Content-Type: multipart/mixed; boundary=b0', ''];
    for (let i = 1; i <= 100_000; i += 1)
      lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, '');
    const result = await checkUpdate(ORIGINAL, mime(lines));
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['limit-exceeded']);
  });

  it('caps the problems reported for a message of 50 000 garbage lines', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `garbage ${i}`);
    const result = await checkUpdate(ORIGINAL, Buffer.from(lines.join('\n')));
    expect(result.ok).toBe(false);
    // at most 20, plus the first problem of each other code
    expect(result.ok ? 0 : result.problems.length).toBeLessThan(30);
    expect(result.ok ? '' : result.problems[0]?.reason).toMatch(/more like it/);
  });
});
