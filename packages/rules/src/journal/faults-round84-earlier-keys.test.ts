import { describe, expect, it } from 'vitest';
import { earlierKeys } from './earlier-copy.js';
import { DEFAULT_KEY_TEMPLATE, keyTemplate } from './key.js';

// Fault round 84 (F84-1): the keys a WorkMail retry looks under before filing its copy by the clock.
const values = { messageId: 'm-1', invocationId: 'i-1', direction: 'INBOUND' };
const at = (iso: string) => Date.parse(iso);

describe('earlierKeys (fault round 84)', () => {
  it('the default template: the day before only within six hours after midnight', () => {
    const key = keyTemplate(DEFAULT_KEY_TEMPLATE);
    expect(earlierKeys(key, values, at('2026-12-07T00:00:00.000Z'))).toEqual([
      'journal/inbound/2026/12/06/m-1',
    ]);
    expect(earlierKeys(key, values, at('2026-12-07T05:59:59.999Z'))).toEqual([
      'journal/inbound/2026/12/06/m-1',
    ]);
    expect(earlierKeys(key, values, at('2026-12-07T06:00:00.000Z'))).toEqual([]);
    expect(earlierKeys(key, values, at('2026-12-07T23:59:59.999Z'))).toEqual([]);
    expect(earlierKeys(key, values, at('2027-01-01T01:00:00.000Z'))).toEqual([
      'journal/inbound/2026/12/31/m-1',
    ]);
  });

  it('an hourly template: each of the six hours before, most recent first', () => {
    const key = keyTemplate('j/{yyyy}{mm}{dd}{hh}/{messageId}');
    expect(earlierKeys(key, values, at('2026-12-07T02:30:00.000Z'))).toEqual([
      'j/2026120701/m-1',
      'j/2026120700/m-1',
      'j/2026120623/m-1',
      'j/2026120622/m-1',
      'j/2026120621/m-1',
      'j/2026120620/m-1',
    ]);
  });

  it('a template without a date: nothing to look for', () => {
    expect(
      earlierKeys(keyTemplate('j/{direction}/{messageId}'), values, at('2026-12-07T00:10:00.000Z')),
    ).toEqual([]);
  });
});
