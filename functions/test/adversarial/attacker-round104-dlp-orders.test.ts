import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 104 (DLP, an inside user sending a card out through outbound-policy): round 99's open SVG item, each
// character placed by a list of `x` coordinates, probed as an attacker writes it. Round 99's `it.fails` case lists
// its `x` values rising, so it draws `1111 1111 1111 1114` as written (no card: that case could never bounce); the
// attack lists them falling, or in another order, so that the characters are drawn as the card.
const kit = attackerKit(useLocalStack());
const xs = (n: number, at: (i: number) => number) => Array.from({ length: n }, (_, i) => at(i)).join(' ');
const svg = (x: string, text: string) =>
  `<svg width="400" height="20"><text y="15" x="${x}">${text}</text></svg>`;

describe('A104-2: SVG characters placed by a list of x (probes)', () => {
  it('the characters written backwards, drawn forwards by falling x', async () => {
    expect(
      await kit.outbound(
        outboundPage(
          svg(
            xs(19, (i) => 180 - 10 * i),
            '1111 1111 1111 1114',
          ),
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('the groups written rotated, drawn in order by x', async () => {
    // Written `1111 1111 1111 4111`: the last group's characters are drawn first.
    const at = (i: number) => (i < 15 ? 50 + 10 * i : 10 * (i - 15));
    expect(await kit.outbound(outboundPage(svg(xs(19, at), '1111 1111 1111 4111')))).toBe('BOUNCE');
  });
});

describe('A104-2 controls (sent)', () => {
  it('round 99’s case as written: rising x draws 1111 1111 1111 1114, no card', async () => {
    expect(
      await kit.outbound(
        outboundPage(
          svg(
            xs(19, (i) => 10 * i),
            '1111 1111 1111 1114',
          ),
        ),
      ),
    ).toBe('DEFAULT');
  });
});
