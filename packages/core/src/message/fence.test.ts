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
});
