import { describe, expect, it } from 'vitest';
import { EditQueue } from '../edit/edits.js';
import { type Verdict, Verdicts } from '../verdicts.js';
import { applyEditFallbacks } from './edit-fallback.js';

// Attacker round 101: a warning tag (a subject prefix or a banner) may carry a fallback, as a removal does, so outside mail shown as the organization's whose tag is not committed is not delivered untagged.
const JUNK: Verdict = { type: 'MOVE_TO_JUNK' };

describe('a tag with a fallback', () => {
  it('queues the fallback with the prefix and the banner, and none without one', () => {
    const q = new EditQueue();
    q.prefixSubject('[EXTERNAL]', { unlessCommitted: JUNK });
    q.addDisclaimer({ text: 'outside', position: 'top' }, { unlessCommitted: JUNK });
    q.prefixSubject('[EXT]');
    expect(q.edits.map((e) => ('fallback' in e ? e.fallback : undefined))).toEqual([
      { verdict: JUNK, recipients: [] },
      { verdict: JUNK, recipients: [] },
      undefined,
    ]);
  });

  it('gives its recipients the fallback when the update was not committed, and nothing when it was', () => {
    const edits = [
      {
        kind: 'prefix-subject' as const,
        prefix: '[EXTERNAL]',
        fallback: { verdict: JUNK, recipients: ['bob@corp.example'] },
      },
    ];
    const skipped = new Map<string, Verdict>([['bob@corp.example', Verdicts.DEFAULT]]);
    expect(applyEditFallbacks(skipped, edits, false, 'skipped: line too long')).toEqual([
      'the prefix-subject edit was not committed (skipped: line too long): MOVE_TO_JUNK for 1 recipient(s)',
    ]);
    expect(skipped.get('bob@corp.example')).toEqual(JUNK);
    const committed = new Map<string, Verdict>([['bob@corp.example', Verdicts.DEFAULT]]);
    expect(applyEditFallbacks(committed, edits, true, 'committed')).toEqual([]);
    expect(committed.get('bob@corp.example')).toEqual(Verdicts.DEFAULT);
  });

  it('leaves a recipient who does not receive the message as decided', () => {
    const edits = [
      {
        kind: 'disclaimer' as const,
        disclaimer: { text: 'x' },
        fallback: { verdict: JUNK, recipients: ['a@corp.example'] },
      },
    ];
    const verdicts = new Map<string, Verdict>([['a@corp.example', Verdicts.DROP]]);
    expect(applyEditFallbacks(verdicts, edits, false, 'skipped')).toEqual([]);
    expect(verdicts.get('a@corp.example')).toEqual(Verdicts.DROP);
  });
});
