import { describe, expect, it } from 'vitest';
import { shownItemOrder } from './item-order.js';

// Attacker round 90: a flex or grid container's items in the order a browser draws them.
type Item = { text: string; style?: Record<string, string> };
const order = (container: Record<string, string>, items: Item[]) =>
  shownItemOrder(
    items,
    (p) => container[p],
    (i) => (i.style === undefined ? undefined : (p: string) => i.style?.[p]),
  )
    .map((i) => i.text)
    .join(' ');
const item = (text: string, style: Record<string, string> = {}): Item => ({ text, style });

describe('shownItemOrder', () => {
  it('sorts flex items by order, ties as written', () => {
    expect(
      order({ display: 'flex' }, [
        item('b', { order: '2' }),
        item('c', { order: '2' }),
        item('a', { order: '-1' }),
      ]),
    ).toBe('a b c');
  });
  it('reverses row-reverse and column-reverse, also in flex-flow', () => {
    expect(order({ display: 'flex', 'flex-direction': 'column-reverse' }, [item('b'), item('a')])).toBe(
      'a b',
    );
    expect(order({ display: 'flex', 'flex-flow': 'row-reverse wrap' }, [item('b'), item('a')])).toBe('a b');
  });
  it('places grid items by lines and named areas', () => {
    expect(
      order({ display: 'grid' }, [
        item('b', { 'grid-area': '1 / 2' }),
        item('a', { 'grid-column': '1', 'grid-row': '1' }),
      ]),
    ).toBe('a b');
    expect(
      order({ display: 'grid', 'grid-template-areas': '"x y" "z w"' }, [
        item('w', { 'grid-area': 'w' }),
        item('x', { 'grid-area': 'x' }),
        item('z', { 'grid-area': 'z' }),
      ]),
    ).toBe('x z w');
  });
  it('stacks column-only items at the sparse cursor, as browsers do', () => {
    expect(
      order({ display: 'grid' }, [
        item('d', { 'grid-column': '4' }),
        item('c', { 'grid-column': '3' }),
        item('b', { 'grid-column': '2' }),
      ]),
    ).toBe('d c b');
  });
  it('leaves as written what it does not lay out', () => {
    expect(order({ display: 'grid' }, [item('b', { 'grid-column': '2' }), item('a')])).toBe('b a');
    expect(
      order({ display: 'grid' }, [item('b', { 'grid-column': '-1' }), item('a', { 'grid-column': '1' })]),
    ).toBe('b a');
    expect(
      order({ display: 'grid', 'grid-auto-flow': 'column' }, [
        item('b', { 'grid-column': '2' }),
        item('a', { 'grid-column': '1' }),
      ]),
    ).toBe('b a');
    expect(order({ display: 'flex' }, [item('a'), item('b')])).toBe('a b');
  });
});
