/**
 * Fault round 89: outbound-policy's disclaimer and the guard's banner on messages whose parts are 8-bit, binary,
 * bare-LF or bare-CR, carry a very long line, or lack a final line end. Asked: after the rewrite every part the edit
 * does not touch is byte for byte the same, or re-encoded to 7 bits (WorkMail's rule) with every decoded byte the
 * same; a single-part body the edit changes keeps every decoded byte before the added text; or the message is left
 * unchanged, never cut.
 */
import { describe, expect, it } from 'vitest';
import { sha256, UPDATES } from './fault-harness.js';
import { BANNER, content, DISCLAIMER, isSevenBit, partsOf, rewritten } from './faults-round89-kit.js';
import { proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES]);

const head = (id: string, type: string) =>
  'From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: order\r\n' +
  `Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <r89-${id}@partner.example>\r\nMIME-Version: 1.0\r\n` +
  `Content-Type: ${type}\r\n`;
const TEXT = '--b89\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease ship the order.\r\n';

const mixed = (id: string, ...parts: string[]) =>
  Buffer.from(`${head(id, 'multipart/mixed; boundary="b89"')}\r\n${TEXT}${parts.join('')}`, 'latin1');

const binary = Buffer.alloc(3000);
for (let i = 0; i < binary.length; i++) binary[i] = (i * 131 + 7) % 256;

const MULTIPART: [string, Buffer][] = [
  [
    '8bit attachment with bare LF and bare CR',
    mixed(
      '8bit',
      '--b89\r\nContent-Type: text/csv; charset=latin1\r\nContent-Disposition: attachment; filename="a.csv"\r\n' +
        'Content-Transfer-Encoding: 8bit\r\n\r\nname;price\ncaf\xe9;3\rna\xefve;4\r\nend\r\n--b89--\r\n',
    ),
  ],
  [
    'binary attachment',
    mixed(
      'bin',
      '--b89\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Disposition: attachment; filename="x.bin"\r\n' +
        `Content-Transfer-Encoding: binary\r\n\r\n${binary.toString('latin1')}\r\n--b89--\r\n`,
    ),
  ],
  [
    'a 990-octet line and no final CRLF',
    mixed(
      'long',
      '--b89\r\nContent-Type: text/plain; name="log.txt"\r\nContent-Disposition: attachment; filename="log.txt"\r\n\r\n' +
        `${'x'.repeat(990)}\r\nlast line\r\n--b89--`,
    ),
  ],
  [
    'a bare-LF attachment and an epilogue',
    mixed(
      'lf',
      '--b89\r\nContent-Type: text/plain; name="notes.txt"\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\n' +
        'one\ntwo\n\nthree  \n\t\n--b89--\r\nepilogue\r\n',
    ),
  ],
];

const single = (id: string, cte: string, body: string) =>
  Buffer.from(
    `${head(id, 'text/plain; charset=iso-8859-1')}Content-Transfer-Encoding: ${cte}\r\n\r\n${body}`,
    'latin1',
  );
const SINGLE: [string, Buffer][] = [
  ['8bit, bare LF, no final line end', single('s8', '8bit', 'caf\xe9 au lait\nna\xefve\nlast')],
  ['8bit, bare CR', single('scr', '8bit', 'one\rtwo\r\nthr\xe9e\r\n')],
  ['7bit, a 998-octet line, no final CRLF', single('slong', '7bit', `${'y'.repeat(998)}\r\nend`)],
  ['quoted-printable, no final CRLF', single('sqp', 'quoted-printable', 'caf=E9 =\r\nau lait=')],
];

// Decoded text in its charset (a rewrite may make it UTF-8), line ends as CRLF (it may make bare ones CRLF).
const lines = (b: Buffer, charset: 'latin1' | 'utf8') => b.toString(charset).replace(/\r\n|\r|\n/g, '\r\n');
const charsetOf = (b: Buffer) =>
  /charset=utf-8/i.test(b.toString('latin1').split('\r\n\r\n')[0] ?? '') ? 'utf8' : 'latin1';

describe.each(['disclaimer', 'banner'] as const)('the %s keeps every byte it does not change', (by) => {
  const added = by === 'disclaimer' ? DISCLAIMER : BANNER;
  it.each(MULTIPART)(
    'multipart: %s',
    async (_, bytes) => {
      const { out, error, versions } = await rewritten(t.stack, bytes, by);
      expect(error).toBeUndefined();
      if (versions === 1) return; // left unchanged: nothing lost
      expect(out.toString('latin1')).toContain(added.slice(0, 20));
      const was = partsOf(bytes, 'b89');
      const now = partsOf(out, 'b89');
      expect(now.length).toBe(was.length);
      expect(now.slice(2).map(content).map(sha256)).toEqual(was.slice(2).map(content).map(sha256));
      for (const [i, part] of now.slice(2).entries())
        if (!part.equals(was[i + 2] as Buffer)) expect(isSevenBit(part)).toBe(true);
    },
    60_000,
  );

  it.each(SINGLE)(
    'single part: %s',
    async (_, bytes) => {
      const { out, error, versions } = await rewritten(t.stack, bytes, by);
      expect(error).toBeUndefined();
      if (versions === 1) return;
      const body = (b: Buffer) => content(Buffer.from(`\r\n${b.toString('latin1')}`, 'latin1'));
      const before = lines(body(bytes), 'latin1').replace(/\r\n$/, '');
      const after = lines(body(out), charsetOf(out));
      expect(after).toContain(added.slice(0, 20));
      // The original text whole, in order, before or after the added text.
      expect(after.replace(/\s+/g, ' ')).toContain(before.replace(/\s+/g, ' '));
      expect(isSevenBit(out)).toBe(true);
    },
    60_000,
  );
});
