import { ConfigError, inbound, Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { enforceDmarcPolicy } from './index.js';

// Attacker round 83: the sending domain's DMARC policy, enforced where receipt rules enforce none (guard-ses; the
// SES cases are in functions/test/adversarial/attacker-round83-ses.test.ts). Here: its options, and WorkMail's path,
// where SES's Authentication-Results names no policy and WorkMail's own inbound DMARC setting enforces it.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('enforceDmarcPolicy', () => {
  it('refuses options that are no verdict or no part', () => {
    expect(() => enforceDmarcPolicy({ acts: 'all' as never })).toThrow(ConfigError);
    expect(() => enforceDmarcPolicy({ onReject: { type: 'LATER' } as never })).toThrow(ConfigError);
  });
  it('acts on nothing on WorkMail, where the header names no policy (control)', async () => {
    // DMARC fails there (authFailed() fires on it), with no policy given.
    const spam = await eml('external-spam-verdict.eml');
    const { outcome } = await h.run([inbound(enforceDmarcPolicy({ onQuarantine: Verdicts.DROP }))], spam);
    expect(new Set(Object.values(outcome.verdicts as Record<string, string>))).toEqual(new Set(['DEFAULT']));
  });
});
