import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkUpdate } from './update-check.js';

const HEADERS = [
  'Received: from mx.example.net by inbound-smtp.us-east-1.amazonaws.com',
  'DKIM-Signature: v=1; a=rsa-sha256; d=example.net;',
  '  b=abc',
  'ARC-Seal: i=1; a=rsa-sha256; cv=none',
  'Authentication-Results: amazonses.com; spf=pass',
  'Return-Path: <alice@example.net>',
  'Message-ID: <1@example.net>',
  'Date: Tue, 24 Nov 2026 10:00:00 +0000',
  'From: Alice <alice@example.net>',
  'Sender: alice@example.net',
  'To: bob@example.com',
  'Cc: carol@example.com',
  'Subject: Quarterly numbers',
  'MIME-Version: 1.0',
];

function message(headers: string[], body: string[], eol = '\r\n'): Buffer {
  return Buffer.from([...headers, '', ...body, ''].join(eol), 'latin1');
}

const PLAIN = message(
  [...HEADERS, 'Content-Type: text/plain; charset=us-ascii'],
  ['Hello Bob,', '', 'see you.'],
);

function edit(change: (headers: string[]) => string[], body = ['Hello Bob,', '', 'see you.']): Buffer {
  return message(change([...HEADERS, 'Content-Type: text/plain; charset=us-ascii']), body);
}

async function codes(updated: Buffer | Readable, original: Buffer = PLAIN): Promise<string[]> {
  const result = await checkUpdate(original, updated);
  return result.ok ? [] : result.problems.map((problem) => problem.code);
}

describe('checkUpdate', () => {
  it('accepts an unchanged message, and one with a new Subject and X- header', async () => {
    expect(await checkUpdate(PLAIN, PLAIN)).toEqual({ ok: true });
    const tagged = edit((headers) => [
      ...headers.map((h) => (h.startsWith('Subject:') ? 'Subject: [EXTERNAL] Quarterly numbers' : h)),
      'X-Wmflow: tagged',
    ]);
    expect(await checkUpdate(PLAIN, tagged)).toEqual({ ok: true });
  });

  it('reads the update from a stream, and LF-only line endings', async () => {
    const lf = message([...HEADERS, 'Content-Type: text/plain'], ['Hi'], '\n');
    expect(await checkUpdate(lf, Readable.from([lf.subarray(0, 7), lf.subarray(7)]))).toEqual({ ok: true });
  });

  describe('required headers (From, Date)', () => {
    it('rejects an update without Date, and says which', async () => {
      const original = message(
        HEADERS.filter((h) => !h.startsWith('Date:')),
        ['x'],
      );
      const result = await checkUpdate(original, original);
      expect(result).toEqual({
        ok: false,
        problems: [
          { code: 'missing-required-header', reason: 'required header Date is missing', header: 'date' },
        ],
      });
    });

    it('rejects an update that drops From (also an immutable change)', async () => {
      const updated = edit((headers) => headers.filter((h) => !h.startsWith('From:')));
      expect(await codes(updated)).toEqual(['missing-required-header', 'immutable-header-changed']);
    });
  });

  describe('immutable headers', () => {
    it.each([
      ['Message-ID', 'Message-ID: <2@example.net>'],
      ['Date', 'Date: Wed, 25 Nov 2026 10:00:00 +0000'],
      ['From', 'From: Mallory <alice@example.net>'],
      ['Sender', 'Sender: mallory@example.net'],
      ['To', 'To: eve@example.com'],
      ['Cc', 'Cc: eve@example.com'],
      ['Received', 'Received: from elsewhere'],
      ['Return-Path', 'Return-Path: <eve@example.net>'],
      ['DKIM-Signature', 'DKIM-Signature: v=1; d=evil.example;'],
      ['ARC-Seal', 'ARC-Seal: i=2'],
      ['Authentication-Results', 'Authentication-Results: amazonses.com; spf=fail'],
    ])('rejects a changed %s', async (name, replacement) => {
      const updated = edit((headers) => {
        const at = headers.findIndex((h) => h.startsWith(`${name}:`));
        const copy = [...headers];
        copy.splice(at, name === 'DKIM-Signature' ? 2 : 1, replacement);
        return copy;
      });
      const result = await checkUpdate(PLAIN, updated);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems).toContainEqual({
        code: 'immutable-header-changed',
        reason: expect.stringMatching(new RegExp(`${name} was changed`, 'i')),
        header: name.toLowerCase(),
      });
    });

    it('accepts refolding an immutable header', async () => {
      const updated = edit((headers) =>
        headers.flatMap((h) => (h.startsWith('To:') ? ['To:', ' bob@example.com'] : [h])),
      );
      expect(await checkUpdate(PLAIN, updated)).toEqual({ ok: true });
    });

    it('rejects an added ARC header and a removed Received header', async () => {
      expect(await codes(edit((headers) => ['ARC-Message-Signature: i=2', ...headers]))).toEqual([
        'immutable-header-changed',
      ]);
      expect(await codes(edit((headers) => headers.filter((h) => !h.startsWith('Received:'))))).toEqual([
        'immutable-header-changed',
      ]);
    });
  });

  describe('unique headers', () => {
    it('rejects a second Subject or Reply-To', async () => {
      expect(await codes(edit((headers) => [...headers, 'Subject: again']))).toEqual([
        'duplicate-unique-header',
      ]);
      expect(
        await codes(edit((headers) => [...headers, 'Reply-To: a@x.example', 'Reply-To: b@x.example'])),
      ).toEqual(['duplicate-unique-header']);
    });

    it('accepts a repeat the original already had', async () => {
      const original = edit((headers) => [...headers, 'Subject: again']);
      expect(await checkUpdate(original, original)).toEqual({ ok: true });
    });
  });

  describe('line length', () => {
    it('accepts 998 octets plus CRLF and rejects 999', async () => {
      expect(await codes(edit((h) => h, ['a'.repeat(998)]))).toEqual([]);
      const result = await checkUpdate(
        PLAIN,
        edit((h) => h, ['ok', 'a'.repeat(999), 'b'.repeat(5000)]),
      );
      expect(result).toEqual({
        ok: false,
        problems: [
          {
            code: 'line-too-long',
            reason: `line ${HEADERS.length + 4} is 1001 octets long with CRLF (at most 1000) (and 1 more like it)`,
            line: HEADERS.length + 4,
          },
        ],
      });
    });

    it('counts a bare-LF line as if it ended in CRLF', async () => {
      const lf = (body: string) => message([...HEADERS, 'Content-Type: text/plain'], [body], '\n');
      expect(await codes(lf('a'.repeat(998)), lf('x'))).toEqual([]);
      expect(await codes(lf('a'.repeat(999)), lf('x'))).toEqual(['line-too-long']);
    });
  });

  describe('7-bit data', () => {
    it('accepts encoded words and quoted-printable, rejects raw UTF-8 in a header and in a body', async () => {
      const encoded = edit(
        (h) => [
          ...h.filter((x) => !x.startsWith('Content-Type')),
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: quoted-printable',
          'X-Note: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
        ],
        ['Gr=C3=BC=C3=9Fe'],
      );
      expect(await codes(encoded)).toEqual([]);
      expect(
        await codes(Buffer.from(`X-Note: Gr\u00fc\u00dfe\r\n${PLAIN.toString('latin1')}`, 'utf8')),
      ).toEqual(['non-ascii']);
      const result = await checkUpdate(
        PLAIN,
        edit((h) => h, ['caf\u00e9']),
      );
      expect(result.ok ? [] : result.problems).toEqual([
        expect.objectContaining({
          code: 'non-ascii',
          reason: expect.stringContaining('byte 0xe9 at column 4'),
        }),
      ]);
    });
  });
});
