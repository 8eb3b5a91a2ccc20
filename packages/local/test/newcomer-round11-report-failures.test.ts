import { expect, it } from 'vitest';
import { renderReport } from '../src/backtest/report.js';
import { BacktestTally } from '../src/backtest/tally.js';
import type { BacktestLine, PolicyOutcome } from '../src/backtest/types.js';

// Newcomer round 11: the backtest of an SES handler against the WorkMail handler it was ported from (one with no
// updates bucket, so its tag-external edit failed) reported "2 with failures", and the report's Failures table
// under "Failures (2)" was empty: an edit that failed counts as a failure but was not listed, so the reader could not
// tell which messages or why.
function outcome(
  label: string,
  edit: PolicyOutcome['edit'],
  error: PolicyOutcome['error'] = null,
): PolicyOutcome {
  return {
    label,
    verdicts: { 'bob@corp.example': 'DEFAULT' },
    rulesFired: ['tag-external'],
    edit,
    failures: [],
    error,
  } as PolicyOutcome;
}

function line(key: string, candidate: PolicyOutcome, baseline: PolicyOutcome): BacktestLine {
  return {
    type: 'message',
    key,
    messageId: key,
    direction: 'INBOUND',
    mailFrom: 'alice@partner.example',
    recipients: ['bob@corp.example'],
    envelope: 'recorded',
    candidate,
    baseline,
    durationMs: 1,
    diff: { changed: false, verdicts: [], rules: { added: [], removed: [] }, edit: null, error: null },
  } as unknown as BacktestLine;
}

const NO_BUCKET = 'rules queued edits but the flow has no updates bucket (FlowOptions.updates.bucket)';

function failuresTable(html: string): string {
  const at = html.indexOf('<h2>Failures');
  return html.slice(at, html.indexOf('<h2>', at + 1));
}

it('a failed edit is listed among the failures, with its reason', () => {
  const tally = new BacktestTally('journal/');
  tally.add(
    line(
      'inbound/m1',
      outcome('src/handler-ses.ts#handler', { status: 'skipped', changes: [], reason: 'SES cannot rewrite' }),
      outcome('src/handler.ts#handler', { status: 'failed', changes: [], reason: NO_BUCKET }),
    ),
  );
  const summary = tally.summary({ workers: 1, durationMs: 1000, backtested: 1 });
  expect(summary.failed).toBe(1);
  const table = failuresTable(renderReport(summary, tally));
  expect(table).toContain('Failures (1)');
  expect(table).toContain('<td class="key">inbound/m1</td>');
  expect(table).toContain('src/handler.ts#handler');
  expect(table).toContain('edit failed: rules queued edits but the flow has no updates bucket');
  expect(table).not.toContain('SES cannot rewrite');
});

it('control: an error is listed as before, and a run without failures says None', () => {
  const tally = new BacktestTally('journal/');
  tally.add(
    line(
      'inbound/m2',
      outcome('a', { status: 'none', changes: [] }, { name: 'TypeError', message: 'x is not a function' }),
      outcome('b', { status: 'committed', changes: ['subject'] }),
    ),
  );
  const table = failuresTable(
    renderReport(tally.summary({ workers: 1, durationMs: 1000, backtested: 1 }), tally),
  );
  expect(table).toContain('TypeError: x is not a function');
  expect(table).not.toContain('edit failed');
  const clean = new BacktestTally('journal/');
  clean.add(
    line(
      'inbound/m3',
      outcome('a', { status: 'none', changes: [] }),
      outcome('b', { status: 'none', changes: [] }),
    ),
  );
  expect(
    failuresTable(renderReport(clean.summary({ workers: 1, durationMs: 1, backtested: 1 }), clean)),
  ).toContain('<p>None.</p>');
});
