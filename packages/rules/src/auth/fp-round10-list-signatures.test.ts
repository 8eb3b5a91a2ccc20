import { rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { authFailed } from './index.js';

// False-positive round 10 (attacker round 109 made every result of a listed method count, not the first alone):
// ordinary mailing-list mail as SES reports it. A list that adds a footer breaks the author's DKIM signature and signs
// the message itself; one that rewrites From (DMARC mitigation) then passes DMARC on its own signature. The default
// condition (`dmarc`) leaves it alone; `methods: ['dkim']` counts the broken signature, as rules.md says (kept: the
// round's trade-off, with the way out documented there).
let h: Harness;
beforeAll(async () => {
  h = await startHarness([]);
}, 60_000);
afterAll(() => h?.stop());

const CRLF = '\r\n';
const hit = (c: Parameters<typeof when>[0]) =>
  when(
    c,
    rule('hit', (ctx) => ctx.note('hit')),
  );

function listMessage(dkim: string[], dmarc: string): Buffer {
  return Buffer.from(
    [
      `Authentication-Results: amazonses.com;${CRLF} spf=pass (spfCheck: domain of lists.example designates 198.51.100.7 as permitted sender) client-ip=198.51.100.7; envelope-from=bounces@lists.example; helo=mail.lists.example;${CRLF} ${dkim.join(`;${CRLF} `)};${CRLF} ${dmarc};`,
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=lists.example; s=s1; h=from:to:subject; bh=AAAA; b=BBBB',
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=author.example; s=s2; h=from:to:subject; bh=CCCC; b=DDDD',
      "From: 'Ann Author' via Users <users@lists.example>",
      'Reply-To: ann@author.example',
      'To: users@lists.example',
      'List-Id: <users.lists.example>',
      'Subject: [users] release notes',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <fp10@author.example>',
      'Content-Type: text/plain',
      '',
      'The release is out.',
      '--',
      'You received this because you are subscribed to users.',
      '',
    ].join(CRLF),
  );
}

const failed = async (bytes: Buffer, methods?: ('spf' | 'dkim' | 'dmarc')[]) => {
  const outcome = (await h.run([hit(authFailed(methods ? { methods } : {}))], bytes)).outcome;
  return (outcome.rulesFired as string[]).includes('hit');
};

describe('FP10-A: mailing-list mail and authFailed', () => {
  const broken = listMessage(
    ['dkim=fail header.i=@author.example', 'dkim=pass header.i=@lists.example'],
    'dmarc=pass header.from=lists.example',
  );
  it('author signature broken by the list, list signature good, DMARC passed: the default (dmarc) is not failed', async () => {
    expect(await failed(broken)).toBe(false);
    expect(await failed(broken, ['spf', 'dmarc'])).toBe(false);
  });
  it('the same whichever signature SES reports first', async () => {
    const reordered = listMessage(
      ['dkim=pass header.i=@lists.example', 'dkim=fail header.i=@author.example'],
      'dmarc=pass header.from=lists.example',
    );
    expect(await failed(reordered)).toBe(false);
  });
  it("kept on purpose: methods ['dkim'] counts the broken author signature (rules.md)", async () => {
    expect(await failed(broken, ['dkim'])).toBe(true);
  });
  it('both signatures good: not failed for any method', async () => {
    const good = listMessage(
      ['dkim=pass header.i=@author.example', 'dkim=pass header.i=@lists.example'],
      'dmarc=pass header.from=lists.example',
    );
    expect(await failed(good, ['spf', 'dkim', 'dmarc'])).toBe(false);
  });
});
