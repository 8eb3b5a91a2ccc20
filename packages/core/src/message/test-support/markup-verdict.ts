import { expect } from 'vitest';
import { MarkupScan } from '../markup-scan.js';

/**
 * A page scan's verdict on `text`, fed whole and then one byte at a time (the two verdicts must agree).
 *
 * @example
 * ```ts
 * expect(markupVerdict('<script>x</script>')).toBe('a <script> element');
 * ```
 */
export function markupVerdict(text: string | Buffer, make: () => MarkupScan = () => new MarkupScan()) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  const whole = make();
  whole.push(bytes);
  const byByte = make();
  for (const byte of bytes) byByte.push(Buffer.of(byte));
  const verdict = whole.end();
  expect(byByte.end()).toBe(verdict);
  return verdict;
}
