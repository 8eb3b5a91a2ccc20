// Attacker round 81: a bounce message or an error that quotes the message (with a right-to-left override) must not
// turn the backtest report's `before → after` around: each value is isolated in a <bdi>, and escaped.
import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import { BacktestTally } from './tally.js';
import type { BacktestLine, PolicyOutcome } from './types.js';

function outcome(label: string, verdict: string, error: PolicyOutcome['error'] = null): PolicyOutcome {
  return {
    label,
    verdicts: { 'bob@corp.example': verdict },
    rulesFired: [],
    edit: { status: 'none', changes: [] },
    failures: [],
    error,
  };
}

function report(
  before: string,
  after: string,
  error: { before: string | null; after: string | null } | null,
) {
  const line: BacktestLine = {
    type: 'message',
    key: 'inbound/a',
    messageId: 'a',
    direction: 'INBOUND',
    mailFrom: 'x@evil.example',
    recipients: ['bob@corp.example'],
    envelope: 'recorded',
    candidate: outcome('guard', after),
    baseline: outcome('recorded', before),
    diff: {
      changed: true,
      verdicts: [{ recipient: 'bob@corp.example', before, after }],
      rules: { added: [], removed: [] },
      edit: null,
      error,
    },
    durationMs: 1,
  };
  const tally = new BacktestTally('journal/');
  tally.add(line);
  return renderReport(tally.summary({ workers: 1, durationMs: 10, backtested: 1 }), tally);
}

describe('attacker round 81: the backtest report', () => {
  it('isolates a verdict with a right-to-left override from the arrow and the other side', () => {
    const html = report('DEFAULT', 'BOUNCE:Refused \u202eTLUAFED', null);
    expect(html).toContain(
      '<del><bdi>DEFAULT</bdi></del> → <ins><bdi>BOUNCE:Refused \u202eTLUAFED</bdi></ins>',
    );
    expect(html).toContain('<td><bdi>DEFAULT</bdi> → <bdi>BOUNCE:Refused \u202eTLUAFED</bdi></td>');
  });

  it('isolates and escapes an error that quotes the subject', () => {
    const html = report('DEFAULT', 'DEFAULT', { before: null, after: 'Error: "<b>\u2067x"' });
    expect(html).toContain('<ins><bdi>Error: &quot;&lt;b&gt;\u2067x&quot;</bdi></ins>');
    expect(html).not.toContain('<b>\u2067');
  });

  it('keeps a readable verdict as it was', () => {
    const html = report('DEFAULT', 'BOUNCE:Nachricht abgewiesen: Grüße, 日本語, مرحبا', null);
    expect(html).toContain('BOUNCE:Nachricht abgewiesen: Grüße, 日本語, مرحبا</');
  });
});
