import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { captureLogger } from '../testing/capture-logger.js';
import { lambdaContext } from '../testing/lambda-context.js';
import { makeSesEvent } from '../testing/ses-events.js';
import { type SesFlowOptions, type SesFlowOutcome, sesFlow } from './index.js';

// Attacker round 83, the SES engine's own part (the guard-ses cases: functions/test/adversarial/
// attacker-round83-ses.test.ts). An event sesFlow cannot read was answered CONTINUE whatever the flow: a protective
// flow let the message through every protection unchecked. `onInvalidEvent` now says what such an event gets.

// biome-ignore lint/suspicious/noExplicitAny: spoiling a built event field by field
type E = any;

function run(spoil: (e: E) => void, options: Partial<SesFlowOptions> = {}) {
  const logger = captureLogger();
  const handler = sesFlow({
    rules: [],
    stored: { bucket: 'inbound-mail', keyPrefix: 'inbound/' },
    logger,
    ...options,
  });
  const event: E = JSON.parse(JSON.stringify(makeSesEvent({ recipients: ['bob@corp.example'] })));
  spoil(event);
  return { answer: handler(event, lambdaContext()), logger };
}

const unknownStatus = (e: E) => {
  e.Records[0].ses.receipt.virusVerdict = { status: 'MAYBE' };
};

describe('A83-1: an event sesFlow cannot read', () => {
  it('answers STOP_RULE under onInvalidEvent STOP_RULE, and logs why as an error', async () => {
    const { answer, logger } = run(unknownStatus, { onInvalidEvent: 'STOP_RULE' });
    expect(await answer).toEqual({ disposition: 'STOP_RULE' });
    const line = logger.lines.at(-1);
    expect(line?.level).toBe('error');
    const outcome = line?.attributes as SesFlowOutcome;
    expect(outcome.response).toEqual({ disposition: 'STOP_RULE' });
    expect(outcome.error?.name).toBe('EventValidationError');
    expect(outcome.error?.message).toMatch(/virusVerdict\.status/);
    expect(outcome.warnings.join('\n')).toMatch(/could not be read.*STOP_RULE/);
  });
  it('names the message it held when the event names one', async () => {
    const { answer, logger } = run(unknownStatus, { onInvalidEvent: 'STOP_RULE' });
    await answer;
    const outcome = logger.lines.at(-1)?.attributes as SesFlowOutcome;
    expect(outcome.messageId).toMatch(/^[a-z0-9]+$/);
  });
  it('answers STOP_RULE_SET under onInvalidEvent STOP_RULE_SET', async () => {
    const spoil = (e: E) => {
      delete e.Records[0].ses.mail.commonHeaders;
    };
    expect(await run(spoil, { onInvalidEvent: 'STOP_RULE_SET' }).answer).toEqual({
      disposition: 'STOP_RULE_SET',
    });
  });
  it('rethrows under onInvalidEvent rethrow', async () => {
    await expect(run(unknownStatus, { onInvalidEvent: 'rethrow' }).answer).rejects.toThrow(
      /virusVerdict\.status/,
    );
  });
  it('refuses an onInvalidEvent that is no answer', () => {
    expect(() => run(unknownStatus, { onInvalidEvent: 'DROP' as never })).toThrow(ConfigError);
  });
  describe('controls', () => {
    it('answers CONTINUE by default (a flow that protects nothing), logged as an error', async () => {
      const { answer, logger } = run(unknownStatus);
      expect(await answer).toEqual({ disposition: 'CONTINUE' });
      expect(logger.lines.at(-1)?.level).toBe('error');
    });
  });
});
