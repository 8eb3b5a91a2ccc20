import { describe, expect, it } from 'vitest';
import { receiptTime } from './invocation.js';

// False-positive round 5 over fault round 82: SES's `mail.timestamp` keys archiver-ses's journal copy. The shapes SES
// and the tools that replay its events write must be taken as the receipt time (a copy filed under the day SES
// received the message, the same in every delivery of the event).
const NOW = Date.parse('2026-12-07T09:40:00.000Z');

describe('FP5: SES receipt times are read', () => {
  const times: Record<string, string> = {
    'with milliseconds, as SES writes it': '2026-12-07T09:33:34.936Z',
    'without milliseconds': '2026-12-07T09:33:34Z',
    'with microseconds (an event rewritten by a tool)': '2026-12-07T09:33:34.936123Z',
    'from just before UTC midnight, read the next morning': '2026-12-06T23:59:59.999Z',
    "a few minutes after the function's clock (SES's clock ahead)": '2026-12-07T09:44:00.000Z',
    'as `wmflow replay --engine ses` writes it (the clock, toISOString)': new Date(NOW).toISOString(),
  };
  for (const [name, timestamp] of Object.entries(times))
    it(name, () => {
      expect(receiptTime(timestamp, NOW)).toEqual({ receivedAt: Date.parse(timestamp) });
    });
  it('(control) a stored message replayed days later is filed by the clock, not by its old receipt', () => {
    expect(receiptTime('2026-11-30T08:00:00.000Z', NOW)).toEqual({});
  });
});
