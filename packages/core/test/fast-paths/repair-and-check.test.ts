import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUpdate } from '../../src/mime/update-check.js';
import { bytewise, cut, cuts, message, messages } from './fixtures.js';
import { repair, stream } from './split-helpers.js';

const B64 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0';

describe('fast paths: RawRepair and the update checker over base64 bodies', () => {
  // 2,000 clean lines, then what the fast paths must hand to the line-by-line path.
  const clean = Array.from({ length: 2000 }, () => B64);

  it('still re-wraps an over-long base64 line, and one with a space, deep in a clean body', async () => {
    const bytes = message(
      [{ encoding: 'base64', lines: [...clean, 'A'.repeat(1200), B64, 'QUJD REVG', B64] }],
      '\r\n',
    );
    const fast = await repair([bytes]);
    expect(fast.repairs).toEqual(['re-wrapped base64 lines (over-long, or with characters decoders skip)']);
    expect(fast.bytes).not.toContain('A'.repeat(999));
    expect(fast.bytes).toContain(`\r\n${'A'.repeat(76)}\r\n`);
    expect(fast.bytes).toContain('\r\nQUJDREVG\r\n');
    expect(fast).toEqual(await repair(bytewise(bytes)));
  });

  it('still refuses what WorkMail would refuse deep in a clean body, with the right line numbers', async () => {
    const lines = [...clean, 'A'.repeat(999), B64, 'QUJD\xe9REVG', B64, '--bX'];
    const bytes = message([{ encoding: 'base64', lines }], '\r\n');
    const result = await checkUpdate(bytes, bytes);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    // 11 lines of header and preamble, the delimiter and 3 part-header lines come first.
    expect(problems.map((p) => [p.code, p.line])).toEqual([
      ['line-too-long', 2013],
      ['non-ascii', 2015],
      ['malformed-mime', 2015],
      ['malformed-mime', 2017],
    ]);
    expect(result).toEqual(await checkUpdate(bytes, stream(bytewise(bytes))));
  });

  it('repairs as the line-by-line path does, wherever the bytes are cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(messages, cuts, async (bytes, at) => {
        expect(await repair(cut(bytes, at))).toEqual(await repair(bytewise(bytes)));
      }),
      { numRuns: 200 },
    );
  });

  it('checks as the line-by-line path does, wherever the bytes are cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(messages, cuts, async (bytes, at) => {
        const original = message([], '\r\n');
        expect(await checkUpdate(original, stream(cut(bytes, at)))).toEqual(
          await checkUpdate(original, stream(bytewise(bytes))),
        );
      }),
      { numRuns: 200 },
    );
  });
});
