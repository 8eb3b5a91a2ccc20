/**
 * Every function that reads message content returns on the inputs attacker rounds built to make it quadratic,
 * at eight times the size it is measured at. How its work grows is a timing claim: `npm run bench:linear`
 * measures it (n against 8n in one run) and `--check` fails on growth that is not linear.
 */
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS, parseHtml } from '../support/hostile-inputs.js';

async function outcome(read: (input: string) => unknown, input: string): Promise<unknown> {
  try {
    await read(input);
    return 'returned';
  } catch (error) {
    return error;
  }
}

describe('adversarial: readers of message content on hostile input', () => {
  it.each(HOSTILE_INPUTS)('%s: returns on 8n', async (_name, make, read, n) => {
    expect(await outcome(read, make(8 * n))).toBe('returned');
  });

  it('still converts an HTML-only body to text for the rules', async () => {
    expect(await parseHtml('<p>card&nbsp;4111 1111 1111 1111</p>')).toContain('card 4111 1111 1111 1111');
  });
});
