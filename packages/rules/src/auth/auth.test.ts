import { ConfigError, inbound, rule, Verdicts, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { authFailed, enforceSesVerdicts, sesVerdict } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const hit = (c: Parameters<typeof when>[0]) =>
  when(
    c,
    rule('hit', (ctx) => ctx.note('hit')),
  );
const fired = (o: Record<string, unknown>) => (o.rulesFired as string[]).includes('hit');

describe('rules: SES verdicts and authentication results (over the emulator)', () => {
  it('sees DMARC and SPF failures of the trusted authserv-id only', async () => {
    const spam = await eml('external-spam-verdict.eml');
    expect(fired((await h.run([hit(authFailed())], spam)).outcome)).toBe(true);
    expect(fired((await h.run([hit(authFailed({ methods: ['spf'] }))], spam)).outcome)).toBe(false);
    expect(
      fired((await h.run([hit(authFailed({ methods: ['spf'], results: ['softfail'] }))], spam)).outcome),
    ).toBe(true);
    const clean = await eml('impersonation-display-name.eml');
    expect(
      fired((await h.run([hit(authFailed({ methods: ['spf', 'dkim', 'dmarc'] }))], clean)).outcome),
    ).toBe(false);
  });

  it('matches SES spam and virus verdicts', async () => {
    const spam = await eml('external-spam-verdict.eml');
    expect(fired((await h.run([hit(sesVerdict({ spam: ['FAIL'] }))], spam)).outcome)).toBe(true);
    expect(fired((await h.run([hit(sesVerdict({ virus: ['FAIL'] }))], spam)).outcome)).toBe(false);
  });

  it('junks spam, bounces viruses, leaves clean mail alone', async () => {
    const rules = [inbound(enforceSesVerdicts())];
    const spam = await h.run(rules, await eml('external-spam-verdict.eml'), {
      recipients: ['alice@corp.example'],
    });
    expect(spam.verdict('alice@corp.example')).toBe('MOVE_TO_JUNK');
    const virus = (await eml('external-spam-verdict.eml'))
      .toString('latin1')
      .replace('X-SES-Virus-Verdict: PASS', 'X-SES-Virus-Verdict: FAIL');
    const bounced = await h.run(rules, Buffer.from(virus, 'latin1'), { recipients: ['alice@corp.example'] });
    expect(bounced.verdict('alice@corp.example')).toMatch(/^BOUNCE:.*virus/);
    const clean = await h.run(rules, await eml('impersonation-display-name.eml'), {
      recipients: ['ap@corp.example'],
    });
    expect(clean.verdict('ap@corp.example')).toBe('DEFAULT');
  });

  it('refuses bad configuration', () => {
    expect(() => authFailed({ methods: ['arc' as never] })).toThrow(ConfigError);
    expect(() => sesVerdict({})).toThrow(/spam or virus/);
    expect(() => sesVerdict({ spam: ['BAD' as never] })).toThrow(/configuration spam/);
    expect(() => enforceSesVerdicts({ onSpam: { type: 'X' } as never })).toThrow(/onSpam/);
    expect(Verdicts.DROP.type).toBe('DROP');
  });
});
