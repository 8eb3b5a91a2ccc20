import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 92 (guard-ses): round 85 stopped a DKIM signature over part of the body (`l=`) from proving a
// message inside on WorkMail: a replay of a message the organization signed so passes DKIM, and DMARC on it, whatever
// the attacker appends. Round 91's exception on SES (every From an organization address and the receipt's DMARC
// `PASS`: the organization's own mail) read the receipt's DMARC verdict alone, so such a replay, sent from the
// attacker's own server, was delivered untagged, looking like the organization's own mail.
const stack = useTwinStack();
const sesGuard = sesGuardKit(stack);
const SIGNED = 'Our quarterly newsletter.\r\n';
const APPENDED = `${SIGNED}\r\nIT: your password expires today, renew it at https://evil.example/login\r\n`;
const sig = (tags: string) =>
  `DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from:to:subject:date:message-id;${tags} bh=x; b=y`;
const letter = (signature: string) =>
  mail(['From: IT <it@corp.example>', signature, 'Content-Type: text/plain'], APPENDED);
// DKIM passes for corp.example (the signed octets are intact), so DMARC passes; SPF passes for the attacker's own
// envelope domain, or fails for the organization's.
const REPLAYED: SesReceiptVerdicts = {
  spam: 'PASS',
  virus: 'PASS',
  spf: 'PASS',
  dkim: 'PASS',
  dmarc: 'PASS',
};
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };

describe('A92-4: a replay of a message the organization signed over part of its body, on SES', () => {
  it('from the attacker envelope (SPF passes for it): held (Junk)', async () => {
    expect(await sesGuard(letter(sig(` l=${SIGNED.length};`)), REPLAYED, 'x@evil.example')).toEqual(HELD);
  });
  it('from an organization envelope, SPF failing: held (Junk)', async () => {
    const verdicts = { ...REPLAYED, spf: 'FAIL' } as const;
    expect(await sesGuard(letter(sig(' l=0;')), verdicts, 'it@corp.example')).toEqual(HELD);
  });
  it('with l= folded, after white space: held (Junk)', async () => {
    expect(await sesGuard(letter(sig(`\r\n\tl = ${SIGNED.length} ;`)), REPLAYED, 'x@evil.example')).toEqual(
      HELD,
    );
  });
});

describe('A92-4 controls: the organization own mail on SES, delivered', () => {
  it('signed over the whole body, DMARC PASS', async () => {
    expect(await sesGuard(letter(sig('')), REPLAYED, 'x@evil.example')).toEqual(ON);
  });
  it('signed with l=, sent from its own servers (SPF PASS for an organization envelope)', async () => {
    expect(await sesGuard(letter(sig(` l=${SIGNED.length};`)), REPLAYED, 'bounces@corp.example')).toEqual(ON);
  });
  it('signed with l=, from an organization subdomain envelope with SPF PASS', async () => {
    expect(
      await sesGuard(letter(sig(` l=${SIGNED.length};`)), REPLAYED, 'bounces@mail.corp.example'),
    ).toEqual(ON);
  });
});
