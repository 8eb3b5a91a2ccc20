import { describe, expect, it } from 'vitest';
import { VerdictError } from './errors.js';
import { assertVerdictAllowed, type Verdict, Verdicts, verdictKey } from './verdicts.js';

describe('verdicts', () => {
  it.each<[Verdict, boolean]>([
    [Verdicts.DEFAULT, true],
    [Verdicts.DROP, true],
    [Verdicts.bounce('no'), true],
    [Verdicts.MOVE_TO_JUNK, false],
    [Verdicts.BYPASS_SPAM_CHECK, false],
  ])('%o is allowed inbound, and outbound only when %s', (verdict, outbound) => {
    expect(() => assertVerdictAllowed(verdict, 'INBOUND')).not.toThrow();
    if (outbound) expect(() => assertVerdictAllowed(verdict, 'OUTBOUND')).not.toThrow();
    else expect(() => assertVerdictAllowed(verdict, 'OUTBOUND')).toThrow(/not allowed for OUTBOUND/);
  });

  it('trims bounce messages and rejects empty, oversize or control-character ones', () => {
    expect(Verdicts.bounce('  Blocked by policy. ').message).toBe('Blocked by policy.');
    expect(Verdicts.bounce('line one\nline two').message).toBe('line one\nline two');
    expect(() => Verdicts.bounce('   ')).toThrow(VerdictError);
    expect(() => Verdicts.bounce('x'.repeat(2049))).toThrow(/at most 2048/);
    expect(() => Verdicts.bounce('bad\r\nInjected: header')).toThrow(/control characters/);
    expect(() => Verdicts.bounce(undefined as unknown as string)).toThrow(VerdictError);
  });

  it('rejects things that are not verdicts at run time', () => {
    expect(() => assertVerdictAllowed({ type: 'PASS' } as unknown as Verdict, 'INBOUND')).toThrow(
      /not a verdict/,
    );
    expect(() => assertVerdictAllowed(null as unknown as Verdict, 'INBOUND')).toThrow(VerdictError);
    expect(() => assertVerdictAllowed({ type: 'BOUNCE', message: '' }, 'INBOUND')).toThrow(/empty/);
  });

  it('keys verdicts by type and bounce message', () => {
    expect(verdictKey(Verdicts.DROP)).toBe('DROP');
    expect(verdictKey(Verdicts.bounce('a'))).not.toBe(verdictKey(Verdicts.bounce('b')));
  });
});
