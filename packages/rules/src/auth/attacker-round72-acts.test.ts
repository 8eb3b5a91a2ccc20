import { ConfigError, inbound } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { enforceSesVerdicts } from './index.js';

// Attacker round 72: the guard runs SES's spam verdict (Junk) after its protections, so `enforceSesVerdicts` can act
// on one verdict only (`acts`); each half leaves the other verdict alone.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const TO = { recipients: ['alice@corp.example'] };
const both = async () => {
  const spam = await eml('external-spam-verdict.eml');
  const text = spam.toString('latin1');
  return {
    spam,
    virus: Buffer.from(text.replace('X-SES-Virus-Verdict: PASS', 'X-SES-Virus-Verdict: FAIL'), 'latin1'),
    gray: Buffer.from(text.replace('X-SES-Virus-Verdict: PASS', 'X-SES-Virus-Verdict: GRAY'), 'latin1'),
  };
};

describe('enforceSesVerdicts acts on one verdict when asked', () => {
  it("acts: 'virus' bounces a virus FAIL or GRAY, and leaves a spam FAIL open", async () => {
    const { spam, virus, gray } = await both();
    const rules = [inbound(enforceSesVerdicts({ acts: 'virus' }))];
    expect((await h.run(rules, spam, TO)).verdict('alice@corp.example')).toBe('DEFAULT');
    expect((await h.run(rules, virus, TO)).verdict('alice@corp.example')).toMatch(/^BOUNCE:.*virus/);
    expect((await h.run(rules, gray, TO)).verdict('alice@corp.example')).toMatch(/^BOUNCE:.*checked/);
  });
  it("acts: 'spam' junks a spam FAIL, and leaves a virus FAIL to the other half", async () => {
    const { spam, virus } = await both();
    const rules = [inbound(enforceSesVerdicts({ acts: 'spam' }))];
    expect((await h.run(rules, spam, TO)).verdict('alice@corp.example')).toBe('MOVE_TO_JUNK');
    // The virus message's spam verdict is FAIL too: the spam half junks it, the virus half (not here) would bounce.
    expect((await h.run(rules, virus, TO)).verdict('alice@corp.example')).toBe('MOVE_TO_JUNK');
  });
  it('refuses another value', () => {
    expect(() => enforceSesVerdicts({ acts: 'all' as never })).toThrow(ConfigError);
  });
});
