import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { captureLogger } from '../testing/capture-logger.js';
import { lambdaContext } from '../testing/lambda-context.js';
import { makeSesEvent } from '../testing/ses-events.js';
import { Verdicts } from '../verdicts.js';
import { type SesFlowOptions, type SesFlowOutcome, sesFlow } from './index.js';

// Attacker round 88 (the lead fault round 69 left): an error that escapes the chain outside any rule (a defect in
// wmflow's own code after the rules: here the invocation's own report failing once) followed the flow's `onError`,
// and a `fail-open` flow answered CONTINUE: every protection skipped. `onFlowError` now says what it gets.

/** A flow whose first invocation report throws (outside every rule), with the rules' results already settled. */
function run(options: Partial<SesFlowOptions> = {}) {
  const logger = captureLogger();
  let thrown = false;
  const info = logger.info;
  const warn = logger.warn;
  const once =
    (inner: typeof info) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (message === 'wmflow invocation' && !thrown) {
        thrown = true;
        throw new TypeError('a defect after the chain');
      }
      inner(message, ...extra);
    };
  logger.info = once(info);
  logger.warn = once(warn);
  const handler = sesFlow({
    rules: [],
    stored: { bucket: 'inbound-mail', keyPrefix: 'inbound/' },
    logger,
    ...options,
  });
  const event = makeSesEvent({ recipients: ['bob@corp.example'] });
  return { answer: handler(event, lambdaContext()), logger };
}

describe('A88-1: an error escaping the chain outside any rule', () => {
  it('answers STOP_RULE under onFlowError STOP_RULE, logged as an error and held with its reason', async () => {
    const { answer, logger } = run({ onFlowError: 'STOP_RULE' });
    expect(await answer).toEqual({ disposition: 'STOP_RULE' });
    const line = logger.lines.at(-1);
    expect(line?.level).toBe('error');
    const outcome = line?.attributes as SesFlowOutcome;
    expect(outcome.error?.name).toBe('TypeError');
    expect(outcome.held?.cause).toBe('flow-error');
    expect(outcome.held?.reason).toMatch(/outside any rule.*a defect after the chain/);
    expect(outcome.warnings.join('\n')).toMatch(/onFlowError/);
  });
  it('answers STOP_RULE_SET under onFlowError STOP_RULE_SET', async () => {
    expect(await run({ onFlowError: 'STOP_RULE_SET' }).answer).toEqual({ disposition: 'STOP_RULE_SET' });
  });
  it('rethrows under onFlowError rethrow', async () => {
    await expect(run({ onFlowError: 'rethrow' }).answer).rejects.toThrow(/a defect after the chain/);
  });
  it('control: with no onFlowError a fail-closed onError settles its verdict, as before (MOVE_TO_JUNK held)', async () => {
    expect(await run({ onError: { failClosed: Verdicts.MOVE_TO_JUNK } }).answer).toEqual({
      disposition: 'STOP_RULE',
    });
  });
  it('control: a fail-open flow with no onFlowError still continues, as before', async () => {
    const { answer, logger } = run();
    expect(await answer).toEqual({ disposition: 'CONTINUE' });
    expect(logger.lines.at(-1)?.level).toBe('error');
  });
  it('refuses an onFlowError that is no answer', () => {
    expect(() =>
      sesFlow({
        rules: [],
        stored: { bucket: 'inbound-mail', keyPrefix: 'inbound/' },
        onFlowError: 'MAYBE' as never,
      }),
    ).toThrow(ConfigError);
  });
});
