// Test helpers (not exported from the package): messy multipart messages and ways to cut them into chunks,
// for the tests that hold the byte-scan fast paths to the line-by-line paths they stand in for.
import fc from 'fast-check';

const B64 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0';

/** Body lines that sit on the edges the fast paths must stop at, or must not. */
export const TRICKY_LINES = [
  B64, // a clean base64 line (76 characters)
  B64.slice(0, 20),
  '',
  '--b', // the boundary
  '--b--',
  '--b \t', // the boundary with trailing white space
  '--bX', // boundary-like, not the boundary
  '--b-',
  '-- ',
  '-',
  '\r--b', // a CR before the boundary (mailsplit reads it as a line ending)
  'QUJD REVG', // a space: base64 for the checker, a repair for RawRepair
  'QUJD\tREVG',
  'QUJD.REVG', // not base64
  'QUJD\rREVG', // a CR inside the line
  'caf\xe9', // an 8-bit byte
  'nul\x00byte',
  'A'.repeat(997),
  'A'.repeat(998),
  'A'.repeat(999), // one octet over the limit (with CRLF 1001)
  'B'.repeat(1500),
  '=3D=20soft break=',
] as const;

/** A multipart message built from body lines, each part in its own transfer encoding. */
export function message(
  parts: readonly { encoding: string; lines: readonly string[] }[],
  eol: string,
): Buffer {
  const out = [
    'From: a@outside.example',
    'To: b@corp.example',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Subject: s',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    'preamble',
  ];
  for (const part of parts) {
    out.push(
      '--b',
      'Content-Type: application/octet-stream',
      `Content-Transfer-Encoding: ${part.encoding}`,
      '',
    );
    out.push(...part.lines);
  }
  out.push('--b--', '');
  return Buffer.from(out.join(eol), 'latin1');
}

/** Arbitrary messy messages: parts of tricky and clean lines, CRLF, LF or CR line ends. */
export const messages = fc
  .record({
    eol: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
    parts: fc.array(
      fc.record({
        encoding: fc.constantFrom('base64', 'base64', '7bit', 'quoted-printable', '8bit'),
        lines: fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(B64) },
            { weight: 2, arbitrary: fc.constantFrom(...TRICKY_LINES) },
          ),
          { maxLength: 30 },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ eol, parts }) => message(parts, eol));

/** Cuts `bytes` at the given offsets (taken modulo its length). */
export function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map((n) => n % (bytes.length + 1)))].sort((x, y) => x - y);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

/** One byte per chunk: no fast path sees a whole line, so this is the line-by-line reference. */
export function bytewise(bytes: Buffer): Buffer[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

/** Cut points, including the ones right before and after each line break. */
export const cuts = fc.array(fc.nat(), { maxLength: 12 });
