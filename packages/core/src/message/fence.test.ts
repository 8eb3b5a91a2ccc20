import { describe, expect, it } from 'vitest';
import { type Fence, newFence, scanFence } from './fence.js';

function scan(boundaries: string[], ...chunks: string[]): Fence {
  const fence = newFence(boundaries) as Fence;
  for (const chunk of chunks) scanFence(fence, Buffer.from(chunk, 'latin1'));
  scanFence(fence, Buffer.from('\n'));
  return fence;
}

describe('delimiter-like lines inside a part', () => {
  it('finds a line starting like an enclosing delimiter with content after it, across chunks and bare CRs', () => {
    expect(scan(['b'], 'hi\r\n--b', 'X\r\nContent-Type: x/y').problem).toMatch(/delimiter --b: --bX/);
    expect(scan(['in', 'out'], 'hi\r--out-more\rbody').problem).toMatch(/--out: --out-more/);
  });
  it('lets a broken closing delimiter at the end, rulers, and other text pass', () => {
    expect(scan(['b'], 'hi\r\n--b-\r\n\r\n').problem).toBeUndefined();
    expect(scan(['b'], '----------\r\n-- \r\nsignature\r\n--c\r\n').problem).toBeUndefined();
    expect(scan(['-'], '------\r\nx').problem).toMatch(/delimiter ---: ------/);
    expect(newFence([])).toBeUndefined();
  });
  it('finds an exact delimiter that a bare CR ends or follows (a line to Thunderbird, not to the walk)', () => {
    // Attacker round 31 (S31-3): `Notes.<CR>--b<CR>Content-Type: …` starts a part for Thunderbird only.
    expect(scan(['b'], 'Notes.\r--b\rContent-Type: x/y; name="a.vbs"\r\rMsgBox').problem).toMatch(
      /delimiter --b: --b$/,
    );
    expect(scan(['b'], 'Notes.\r\n--b\rContent-Type: x/y').problem).toMatch(/delimiter --b: --b$/);
    expect(scan(['b'], 'Notes.\r--b\r\nContent-Type: x/y').problem).toMatch(/delimiter --b: --b$/);
    // Split across pieces at every point, the CR of a CRLF included.
    const text = 'Notes.\r--b\rContent-Type: x/y\r\rMsgBox';
    for (let at = 1; at < text.length; at++)
      expect(scan(['b'], text.slice(0, at), text.slice(at)).problem, `split at ${at}`).toMatch(/--b: --b$/);
  });
  it('lets an exact delimiter on a line of its own (CRLF or LF) pass, wherever the pieces split', () => {
    const text = 'hello\r\n--b\r\n--b--\nthere\r\n';
    for (let at = 1; at < text.length; at++)
      expect(scan(['b'], text.slice(0, at), text.slice(at)).problem, `split at ${at}`).toBeUndefined();
    expect(scan(['b'], '\r', '\n--b\r', '\nx').problem).toBeUndefined();
  });
});
