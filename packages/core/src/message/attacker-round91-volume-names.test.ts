import { describe, expect, it } from 'vitest';
import { nameVariants } from './file-names.js';

// Attacker round 91: a numbered volume of a split file opens in 7-Zip and WinRAR as the file its name stems from.
describe('nameVariants: the stem of a numbered volume', () => {
  it.each([
    ['invoice.js.001', 'invoice.js'],
    ['invoice.zip.002', 'invoice.zip'],
    ['Invoice.HTA.001.', 'Invoice.HTA'],
    ['invoice.vbs.1000', 'invoice.vbs'],
    ['invoice.js .001', 'invoice.js'],
    ['a.vbs:x.001', 'x'],
  ])('%s also reads as %s', (name, stem) => {
    expect(nameVariants(name)).toContain(stem);
  });
  it.each(['invoice.js.01', 'invoice.js.1a2', 'invoice.js001', '.001', 'report.pdf'])(
    '%s has no volume stem',
    (name) => {
      expect(nameVariants(name).some((v) => v.length < name.replace(/[. ]+$/, '').length - 1)).toBe(false);
    },
  );
  // Its growth on runs four times as long is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('reads a long run of digits', () => {
    const name = `${'1'.repeat(200_000)}x.${'2'.repeat(200_000)}`;
    expect(nameVariants(name)).toContain(`${'1'.repeat(200_000)}x`);
  });
});
