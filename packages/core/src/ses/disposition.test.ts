import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Verdict, Verdicts } from '../verdicts.js';
import { resolveDisposition } from './disposition.js';

const v = (entries: [string, Verdict][]) => new Map(entries);

describe('ses: resolveDisposition', () => {
  it('maps DEFAULT to CONTINUE, DROP to STOP_RULE_SET, BYPASS to CONTINUE (noted)', () => {
    expect(resolveDisposition(v([['a@x.example', Verdicts.DEFAULT]]), {})).toEqual({
      disposition: 'CONTINUE',
      applied: { 'a@x.example': 'DEFAULT' },
      notes: [],
    });
    expect(resolveDisposition(v([['a@x.example', Verdicts.DROP]]), {}).disposition).toBe('STOP_RULE_SET');
    const bypass = resolveDisposition(v([['a@x.example', Verdicts.BYPASS_SPAM_CHECK]]), {});
    expect(bypass.disposition).toBe('CONTINUE');
    expect(bypass.notes[0]).toMatch(/BYPASS_SPAM_CHECK has no SES equivalent/);
    // Beside a stopped recipient, the note does not promise a delivery the mixed policy then takes back.
    const mixed = resolveDisposition(
      v([
        ['a@x.example', Verdicts.BYPASS_SPAM_CHECK],
        ['b@x.example', Verdicts.DROP],
      ]),
      {},
    );
    expect(mixed.applied['a@x.example']).toBe('DROP');
    expect(mixed.notes.join('\n')).not.toContain('delivered');
  });

  it('resolves MOVE_TO_JUNK by the junk policy', () => {
    const junk = v([['a@x.example', Verdicts.MOVE_TO_JUNK]]);
    expect(resolveDisposition(junk, {}).disposition).toBe('STOP_RULE');
    expect(resolveDisposition(junk, { junk: 'deliver' }).disposition).toBe('CONTINUE');
    expect(resolveDisposition(junk, { junk: 'drop' }).applied).toEqual({ 'a@x.example': 'DROP' });
  });

  it('bounces everyone bounced in one call, joining distinct messages', () => {
    const r = resolveDisposition(
      v([
        ['a@x.example', Verdicts.bounce('one')],
        ['b@x.example', Verdicts.bounce('two')],
      ]),
      {},
    );
    expect(r.disposition).toBe('STOP_RULE_SET');
    expect(r.bounce).toEqual({ recipients: ['a@x.example', 'b@x.example'], explanation: 'one\ntwo' });
  });

  it('an empty receipt continues', () => {
    expect(resolveDisposition(new Map(), {}).disposition).toBe('CONTINUE');
  });

  const verdict = fc.constantFrom<Verdict>(
    Verdicts.DEFAULT,
    Verdicts.DROP,
    Verdicts.MOVE_TO_JUNK,
    Verdicts.BYPASS_SPAM_CHECK,
    Verdicts.bounce('no'),
  );
  const receipt = fc.uniqueArray(fc.tuple(fc.emailAddress(), verdict), {
    minLength: 1,
    maxLength: 8,
    selector: ([a]) => a,
  });

  it('most-protective never delivers a message someone blocked; a bounce is sent iff the message stops', () => {
    fc.assert(
      fc.property(receipt, (entries) => {
        const r = resolveDisposition(v(entries), { mixed: 'most-protective' });
        const blocked = entries.some(([, x]) => x.type === 'BOUNCE' || x.type === 'DROP');
        if (blocked) expect(r.disposition).toBe('STOP_RULE_SET');
        const bounced = entries.filter(([, x]) => x.type === 'BOUNCE').map(([a]) => a);
        expect(r.bounce?.recipients ?? []).toEqual(r.disposition === 'CONTINUE' ? [] : bounced);
        expect(Object.keys(r.applied).sort()).toEqual(entries.map(([a]) => a).sort());
      }),
    );
  });

  it('least-protective delivers when anyone receives, and then sends no bounce', () => {
    fc.assert(
      fc.property(receipt, (entries) => {
        const r = resolveDisposition(v(entries), { mixed: 'least-protective', junk: 'deliver' });
        const receives = entries.some(([, x]) => x.type !== 'BOUNCE' && x.type !== 'DROP');
        expect(r.disposition).toBe(receives ? 'CONTINUE' : 'STOP_RULE_SET');
        if (receives) expect(r.bounce).toBeUndefined();
      }),
    );
  });
});
