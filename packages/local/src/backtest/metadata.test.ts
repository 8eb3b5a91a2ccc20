import { describe, expect, it } from 'vitest';
import { LocalStackError } from '../errors.js';
import { compareOutcomes } from './compare.js';
import { parseMetadata, recordedOutcome } from './metadata.js';

const META = {
  key: 'journal/inbound/2026/11/29/abc',
  messageId: 'abc',
  direction: 'INBOUND',
  envelope: { mailFrom: 'a@x.example', recipients: ['b@corp.example', 'c@corp.example'] },
  verdictsSoFar: { 'b@corp.example': 'OPEN', 'c@corp.example': 'BOUNCE:no' },
  rulesFiredSoFar: ['block'],
  sha256: '0'.repeat(64),
};

describe('backtest: journal metadata', () => {
  it('keeps the envelope, direction and what was recorded; open recipients count as DEFAULT', () => {
    const m = parseMetadata(JSON.stringify(META), 'k');
    expect(m).toMatchObject({ messageId: 'abc', direction: 'INBOUND', envelope: META.envelope });
    expect(recordedOutcome(m)).toMatchObject({
      label: 'recorded',
      verdicts: { 'b@corp.example': 'DEFAULT', 'c@corp.example': 'BOUNCE:no' },
      rulesFired: ['block'],
      edit: { status: 'unknown' },
    });
  });

  it.each([
    ['not JSON', '{'],
    ['no direction', JSON.stringify({ ...META, direction: 'SIDEWAYS' })],
    ['no envelope', JSON.stringify({ ...META, envelope: null })],
    ['bad recipients', JSON.stringify({ ...META, envelope: { mailFrom: '', recipients: [1] } })],
    ['too large', `"${'x'.repeat(1024 * 1024 + 1)}"`],
  ])('refuses metadata with %s, naming the key', (_why, text) => {
    expect(() => parseMetadata(text, 'journal/x')).toThrow(LocalStackError);
    expect(() => parseMetadata(text, 'journal/x')).toThrow(/journal\/x\.json: not journal metadata/);
  });
});

describe('backtest: comparing outcomes', () => {
  const base = recordedOutcome(parseMetadata(JSON.stringify(META), 'k'));
  it('lists verdict changes per recipient and ignores the unknown edit of the recording', () => {
    const after = {
      ...base,
      label: 'guard',
      verdicts: { 'b@corp.example': 'MOVE_TO_JUNK', 'c@corp.example': 'BOUNCE:no' },
      rulesFired: ['impersonation'],
      edit: { status: 'committed', changes: ['tag'] },
    };
    expect(compareOutcomes(base, after)).toEqual({
      changed: true,
      verdicts: [{ recipient: 'b@corp.example', before: 'DEFAULT', after: 'MOVE_TO_JUNK' }],
      rules: { added: ['impersonation'], removed: ['block'] },
      edit: null,
      error: null,
    });
    expect(compareOutcomes(base, { ...base, edit: { status: 'committed', changes: [] } }).changed).toBe(
      false,
    );
  });

  it('counts a different edit or error between two policies as a change', () => {
    const none = { ...base, edit: { status: 'none', changes: [] } };
    const edited = { ...none, edit: { status: 'committed', changes: ['tag'] } };
    expect(compareOutcomes(none, edited).edit).toEqual({ before: 'none', after: 'committed; tag' });
    const failed = { ...none, error: { name: 'HandlerTimeout', message: 'late' } };
    expect(compareOutcomes(none, failed)).toMatchObject({
      changed: true,
      error: { before: null, after: 'HandlerTimeout: late' },
    });
  });
});
