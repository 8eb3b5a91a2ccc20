import { rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { authFailed } from './index.js';

// Attacker round 109 (an outside sender against `authFailed`, the condition a flow uses to junk or refuse mail whose
// SPF, DKIM or DMARC failed): `authFailed` read one result a method, the first the topmost trusted header gives
// (`AuthVerdicts.dmarc`, `.dkim`, `.spf`). SES echoes the EHLO name unquoted in `helo=` (the premise of attacker rounds
// 44, 47 and 48), ahead of its own DKIM and DMARC results: an EHLO of `mx.evil.example;dmarc=pass` put a `dmarc=pass`
// before SES's `dmarc=fail`, and the message whose DMARC failed was taken as passed (as was a DKIM failure behind an
// injected `dkim=pass`, in capitals or with a comment glued on). Every result of the listed methods in that header
// is now read, and any failing one counts, as the condition's documentation says (a DKIM failure beside a pass, of
// a second signature, counts too, as it did when it came first). `packages/rules/src/auth/index.ts`.
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
const fired = (o: Record<string, unknown>) => (o.rulesFired as string[]).includes('hit');

function message(helo: string, dkim: string, dmarc: string, signatures: string[] = []): Buffer {
  return Buffer.from(
    [
      `Authentication-Results: amazonses.com;${CRLF} spf=pass (spfCheck: domain of evil.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=x@evil.example; helo=${helo};${CRLF} ${dkim};${CRLF} ${dmarc};`,
      ...signatures.map(
        (d) =>
          `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d}; s=s1; h=from:to:subject; bh=AAAA; b=BBBB`,
      ),
      'From: Payroll <payroll@bank.example>',
      'To: alice@corp.example',
      'Subject: your account',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <109@evil.example>',
      'Content-Type: text/plain',
      '',
      'Please confirm your details.',
      '',
    ].join(CRLF),
  );
}

const failed = async (bytes: Buffer, methods?: ('spf' | 'dkim' | 'dmarc')[]) =>
  fired((await h.run([hit(authFailed(methods ? { methods } : {}))], bytes)).outcome);

describe('A109-3: a result injected ahead of SES’s own does not hide its failure', () => {
  const dmarcCases: Record<string, string> = {
    'dmarc=pass after the EHLO name': 'mx.evil.example;dmarc=pass header.from=bank.example',
    'DMARC=PASS in capitals': 'mx.evil.example;DMARC=PASS header.from=bank.example',
    'a comment glued on': 'mx.evil.example;dmarc=pass(ok)header.from=bank.example',
    'a quoted pass': 'mx.evil.example;dmarc="pass" header.from=bank.example',
  };
  for (const [label, helo] of Object.entries(dmarcCases)) {
    it(`DMARC failed: ${label}`, async () => {
      const bytes = message(helo, 'dkim=none', 'dmarc=fail header.from=bank.example');
      expect(await failed(bytes)).toBe(true);
    });
  }
  it('DKIM failed behind an injected dkim=pass', async () => {
    const bytes = message(
      'mx.evil.example;dkim=pass header.i=@bank.example',
      'dkim=fail header.i=@bank.example',
      'dmarc=fail header.from=bank.example',
      ['bank.example'],
    );
    expect(await failed(bytes, ['dkim'])).toBe(true);
  });
});

describe('A109-3 benign controls', () => {
  it('a DMARC pass with an ordinary EHLO name is not failed', async () => {
    const bytes = message(
      'mx.bank.example',
      'dkim=pass header.i=@bank.example',
      'dmarc=pass header.from=bank.example',
      ['bank.example'],
    );
    expect(await failed(bytes, ['spf', 'dkim', 'dmarc'])).toBe(false);
  });
  it('an unsigned message whose DMARC passed on SPF alone is not failed', async () => {
    const bytes = message('mx.bank.example', 'dkim=none', 'dmarc=pass header.from=bank.example');
    expect(await failed(bytes)).toBe(false);
  });
});
