import { describe, expect, it } from 'vitest';
import { jsonLines, wmflow } from './replay-helpers.js';

// Fault round 70 (F70-2): `wmflow replay --engine ses` showed a message guard-ses holds (STOP_RULE: the quarantine
// rule keeps it) as `MOVE_TO_JUNK`, its row `ok` like any message judged and delivered, and said nothing of why: a
// message held because its check could not finish looked like one the spam verdict junked, apart from the error. The
// line now carries `held` (the cause and the reason, as the guard records it beside the held message), the row says
// `held`, the totals count the held messages, and the guard's record of the hold is not counted as journaled.
const ENV = ['--env-file', 'samples/expect/env.json'];
const SPAM = 'samples/eml/external-spam-verdict.eml';

describe('F70-2: replay --engine ses of a message guard-ses holds', () => {
  it('held by the junk policy: `held` with the rule that decided, the record not journaled, the row says held, exit 0', async () => {
    const json = await wmflow([
      'replay',
      '--engine',
      'ses',
      SPAM,
      '--function',
      'guard-ses',
      ...ENV,
      '--json',
    ]);
    const [line] = jsonLines(json.stdout);
    expect(line, json.stderr).toMatchObject({
      disposition: 'STOP_RULE',
      verdicts: { [Object.keys((line?.verdicts as object) ?? {})[0] ?? '']: 'MOVE_TO_JUNK' },
      held: { cause: 'verdict', reason: expect.stringMatching(/enforce-ses-verdicts decided MOVE_TO_JUNK/) },
      journaled: [],
      error: null,
    });
    expect((line?.held as { record?: string } | undefined)?.record).toMatch(
      /^s3:\/\/wmflow-inbound\/held\/[a-z0-9]+\.json$/,
    );
    expect(json.code).toBe(0);
    const table = await wmflow(['replay', '--engine', 'ses', SPAM, '--function', 'guard-ses', ...ENV]);
    expect(table.stdout, table.stderr).toMatch(/JUNK\s.*\bheld\s*$/m);
    expect(table.stdout).toMatch(/1 held \(the quarantine rule keeps it\)/);
    expect(table.stdout).not.toMatch(/\bok\s*$/m);
    expect(table.code).toBe(0);
  }, 120_000);

  it('held by --check expectations: met (the verdict pinned MOVE_TO_JUNK, journaled false), exit 0', async () => {
    const run = await wmflow([
      'replay',
      '--engine',
      'ses',
      SPAM,
      '--function',
      'guard-ses',
      ...ENV,
      '--expect',
      'samples/expect/guard-ses.expect.json',
      '--check',
    ]);
    expect(run.stdout, run.stderr).toMatch(/✓ as expected \(held\)/);
    expect(run.code).toBe(0);
  }, 120_000);

  it('held because the check could not finish (every S3 request refused): the cause, the fault, no record, exit 1', async () => {
    const run = await wmflow([
      'replay',
      '--engine',
      'ses',
      'samples/eml/03-invoice-attachments.eml',
      '--function',
      'guard-ses',
      ...ENV,
      '--faults',
      'seed=1,error=1',
      '--json',
    ]);
    const [line] = jsonLines(run.stdout);
    expect(line, run.stderr).toMatchObject({
      disposition: 'STOP_RULE',
      held: {
        cause: 'retryable-error',
        reason: expect.stringMatching(/injected fault/),
        recordError: expect.stringMatching(/.+/),
      },
    });
    expect(run.code).toBe(1);
  }, 120_000);
});
