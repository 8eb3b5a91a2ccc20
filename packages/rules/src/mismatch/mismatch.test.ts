import { ConfigError, rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { senderMismatch } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const fired = async (c: Parameters<typeof when>[0], message: Buffer | string, mailFrom: string) => {
  const { outcome } = await h.run(
    [
      when(
        c,
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    { mailFrom },
  );
  return (outcome.rulesFired as string[]).includes('hit');
};

describe('condition: senderMismatch (over the emulator)', () => {
  it('flags a Reply-To diverting replies to another domain', async () => {
    const spam = await eml('external-spam-verdict.eml');
    const from = 'bounce-77@mailer.cheap-deals.example';
    expect(await fired(senderMismatch({ compare: ['reply-to'] }), spam, from)).toBe(true);
    expect(await fired(senderMismatch({ compare: ['envelope'] }), spam, from)).toBe(false); // relaxed: subdomain
    expect(await fired(senderMismatch({ compare: ['envelope'], level: 'domain' }), spam, from)).toBe(true);
  });

  it('does not flag aligned mail or absent fields', async () => {
    const plain = await eml('impersonation-display-name.eml');
    expect(await fired(senderMismatch(), plain, 'jane.doe.office@freemail.example')).toBe(false);
    expect(await fired(senderMismatch(), plain, '')).toBe(false);
  });

  it('refuses bad configuration', () => {
    expect(() => senderMismatch({ compare: [] })).toThrow(ConfigError);
    expect(() => senderMismatch({ level: 'loose' as never })).toThrow(/level/);
  });
});
