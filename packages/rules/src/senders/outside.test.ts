import { inbound, outbound, type Rule } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { type OutsideOptions, senderIsInside } from './outside.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness([]);
});
afterAll(() => h.stop());

async function inside(
  auth: string,
  options: OutsideOptions = {},
  direction: 'INBOUND' | 'OUTBOUND' = 'INBOUND',
) {
  let result: boolean | undefined;
  const probe: Rule = {
    name: 'probe',
    async run(ctx) {
      result = await senderIsInside(ctx, options);
    },
  };
  const message = `${auth}From: IT <it@corp.example>\r\nSubject: hi\r\n\r\nhi\r\n`;
  await h.run([direction === 'INBOUND' ? inbound(probe) : outbound(probe)], message, {
    direction,
    mailFrom: 'it@corp.example',
  });
  return result;
}

describe('condition: senderIsInside (evidence, not claims)', () => {
  it('is inside for outbound mail and for a trusted DMARC, DKIM or SPF pass for an organization domain', async () => {
    expect(await inside('', {}, 'OUTBOUND')).toBe(true);
    expect(
      await inside('Authentication-Results: amazonses.com; dmarc=pass header.from=corp.example\r\n'),
    ).toBe(true);
    expect(await inside('Authentication-Results: amazonses.com; dkim=pass header.i=@corp.example\r\n')).toBe(
      true,
    );
    // Internal means an organization domain exactly: an unlisted subdomain's signature is not evidence.
    expect(
      await inside('Authentication-Results: amazonses.com; dkim=pass header.i=@mail.corp.example\r\n'),
    ).toBe(false);
    expect(
      await inside('Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=it@corp.example\r\n'),
    ).toBe(true);
  });

  it('is outside for a signed message with a second Subject, Reply-To or Sender added (attacker round 43)', async () => {
    const pass = 'Authentication-Results: amazonses.com; dkim=pass header.d=corp.example\r\n';
    expect(await inside(`${pass}Reply-To: it@corp.example\r\n`)).toBe(true); // one of each: inside
    expect(await inside(`${pass}Subject: new bank details\r\n`)).toBe(false); // the message has a Subject too
    const twice = (field: string) => `${pass}${field}: a@corp.example\r\n${field}: b@corp.example\r\n`;
    expect(await inside(twice('Reply-To'))).toBe(false);
    expect(await inside(twice('Sender'))).toBe(false);
  });

  it('is outside when the header contradicts itself: a DMARC failure beside a pass, SPF or DMARC twice (attacker round 44)', async () => {
    const ar = (rest: string) => `Authentication-Results: amazonses.com; ${rest}\r\n`;
    expect(await inside(ar('dkim=pass header.d=corp.example; dmarc=none header.from=corp.example'))).toBe(
      true,
    );
    expect(await inside(ar('dkim=pass header.d=corp.example; dmarc=fail header.from=corp.example'))).toBe(
      false,
    );
    expect(
      await inside(ar('spf=pass smtp.mailfrom=it@corp.example; spf=fail smtp.mailfrom=it@corp.example')),
    ).toBe(false);
    expect(await inside(ar('dmarc=pass header.from=corp.example; dmarc=fail header.from=corp.example'))).toBe(
      false,
    );
  });

  it('is outside for claims: no results, failures, other domains, untrusted servers, or excluded evidence', async () => {
    expect(await inside('')).toBe(false);
    expect(
      await inside(
        'Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=corp.example; dmarc=fail header.from=corp.example\r\n',
      ),
    ).toBe(false);
    expect(
      await inside('Authentication-Results: amazonses.com; dkim=pass header.d=corp.example.evil.example\r\n'),
    ).toBe(false);
    expect(
      await inside('Authentication-Results: mx.evil.example; dmarc=pass header.from=corp.example\r\n'),
    ).toBe(false);
    const spfOnly = 'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=it@corp.example\r\n';
    expect(await inside(spfOnly, { evidence: ['dmarc', 'dkim'] })).toBe(false);
  });
});
