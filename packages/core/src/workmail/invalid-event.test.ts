import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { captureLogger } from '../testing/capture-logger.js';
import { makeFlowEvent } from '../testing/events.js';
import { lambdaContext } from '../testing/lambda-context.js';
import { Verdicts } from '../verdicts.js';
import { flow } from './flow-handler.js';
import type { FlowOptions } from './flow-settings.js';
import type { FlowResponse } from './response.js';

const bad = () => makeFlowEvent({ mailFrom: 'not an address@evil.example' });
const call = (options: Partial<FlowOptions>, event: unknown) =>
  flow({ rules: [], logger: captureLogger(), ...options })(event, lambdaContext()) as Promise<FlowResponse>;

describe('flow: events it cannot accept', () => {
  it('follows onError by default (fail open: DEFAULT for everyone)', async () => {
    expect(await call({}, bad())).toEqual({
      actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }],
    });
  });

  it('follows onInvalidEvent when given: rethrow, or a fail-closed verdict', async () => {
    await expect(call({ onInvalidEvent: 'rethrow' }, bad())).rejects.toThrow(
      /invalid flow event at envelope\.mailFrom/,
    );
    expect(await call({ onInvalidEvent: { failClosed: Verdicts.DROP } }, bad())).toEqual({
      actions: [{ action: { type: 'DROP' }, allRecipients: true }],
    });
  });

  it('treats a truncated event listing nobody as invalid only with requireRecipients', async () => {
    const empty = makeFlowEvent({ truncated: true });
    empty.envelope.recipients = [];
    expect(await call({ onInvalidEvent: 'rethrow' }, empty)).toEqual({
      actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }],
    });
    await expect(call({ onInvalidEvent: 'rethrow', requireRecipients: true }, empty)).rejects.toThrow(
      /envelope\.recipients/,
    );
  });

  it('refuses a malformed onInvalidEvent at construction', () => {
    expect(() => flow({ rules: [], onInvalidEvent: 'ignore' as never })).toThrow(ConfigError);
  });
});
