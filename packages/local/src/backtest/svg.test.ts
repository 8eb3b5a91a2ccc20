import { describe, expect, it } from 'vitest';
import { barChart } from './svg.js';

describe('barChart legend', () => {
  it('keeps a long policy name’s end, marked as cut, with the whole name as its title', () => {
    const long = 'samples/lambdas/wire-transfer-blocker.ts#handler';
    const svg = barChart('Verdicts', ['guard', long], [{ label: 'DEFAULT', values: [3, 4] }]);
    expect(svg).toContain(`>…${long.slice(-27)}<title>${long}</title></text>`);
    expect(svg).toContain('>guard<title>guard</title></text>');
  });
});
