import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A85-1: a DKIM signature with a body length tag (RFC 6376 3.5, `l=`) vouches for the first `l` octets of the body
// only; a verifier reports `dkim=pass` (and DMARC `pass`, the signature being aligned) whatever follows them. The
// attacker keeps a message the organization's signer sent it with `l=` (a newsletter, a notification from a
// platform signing as corp.example), appends its own HTML after the signed body (a browser renders what follows
// `</html>` as part of the page; a plain-text body simply shows the added lines), and sends it to bob@corp.example
// from its own server: SPF passes for its own domain only, DKIM and DMARC pass for corp.example. senderIsInside()
// took the message for inside mail: no [EXTERNAL] tag, no banner, on a phishing page every client shows in full.
// A pass that rests on a signature covering part of the body proves nothing about what the reader sees.
const kit = attackerKit(useLocalStack());
const CRLF = '\r\n';

const results = (spf: string) =>
  `Authentication-Results: amazonses.com;${CRLF} ${spf};${CRLF} dkim=pass header.i=@corp.example;${CRLF} dmarc=pass header.from=corp.example;`;
const ATTACKER_SPF =
  'spf=pass (spfCheck: domain of evil.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=bounce@evil.example; helo=mx.evil.example';
// The SPF form senderIsInside reads (RFC 8601's smtp.mailfrom).
const CORP_SPF = 'spf=pass smtp.mailfrom=news@corp.example';

const SIGNED_HTML = '<html><body><p>Corp news: the canteen opens at noon.</p></body></html>\r\n';
const APPENDED =
  '<div style="font-size:16px">IT notice: your mailbox is full. <a href="https://evil.example/login">Sign in here</a> to keep it.</div>\r\n';

function replay(signature: string, body: string, spf = ATTACKER_SPF, type = 'text/html'): Buffer {
  return Buffer.from(
    [
      results(spf),
      signature,
      'From: Corp News <news@corp.example>',
      'To: mallory@evil.example',
      'Subject: Corp news',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <news-1@corp.example>',
      'MIME-Version: 1.0',
      `Content-Type: ${type}; charset=utf-8`,
      '',
      body,
    ].join(CRLF),
  );
}
const sig = (extra: string, d = 'corp.example') =>
  `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d}; s=s1;${extra}${CRLF} h=from:to:subject:date:message-id:content-type; bh=x; b=y`;

const tagged = (delivered: Buffer) => {
  const text = delivered.toString('latin1').replace(/=\r\n/g, '');
  return {
    subject: /^Subject: \[EXTERNAL\] Corp news/m.test(text),
    banner: text.includes('came from outside the organization'),
  };
};

describe('A85-1: a DKIM pass for part of the body does not make the message inside mail', () => {
  const partial: Record<string, string> = {
    'l= after the domain': sig(` l=${SIGNED_HTML.length};`),
    'l= with folding white space around it': sig(`${CRLF}\tl = ${SIGNED_HTML.length} ;`),
    'l= as the last tag, with no semicolon after it': `DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from:to:subject; bh=x; b=y;${CRLF} l=${SIGNED_HTML.length}`,
    'l=0 (nothing of the body signed)': sig(' l=0;'),
  };
  for (const [name, signature] of Object.entries(partial))
    it(`tags a replayed corp.example message with HTML appended (${name})`, async () => {
      const { verdict, delivered } = await kit.inbound(replay(signature, SIGNED_HTML + APPENDED));
      expect(verdict).toBe('DEFAULT');
      expect(tagged(delivered)).toEqual({ subject: true, banner: true });
    });
  it('tags a plain-text replay with lines appended after the signed length', async () => {
    const text = 'The canteen opens at noon.\r\n';
    const message = replay(
      sig(` l=${text.length};`),
      `${text}\r\nIT: reset your password at https://evil.example/ today.\r\n`,
      ATTACKER_SPF,
      'text/plain',
    );
    expect(tagged((await kit.inbound(message)).delivered)).toEqual({ subject: true, banner: true });
  });
  it('tags it when a whole-body signature of another domain sits beside the partial one', async () => {
    const message = replay(
      `${sig(` l=${SIGNED_HTML.length};`)}${CRLF}${sig('', 'esp.example')}`,
      SIGNED_HTML + APPENDED,
    );
    expect(tagged((await kit.inbound(message)).delivered)).toEqual({ subject: true, banner: true });
  });

  // Controls: inside mail stays untagged.
  it('control: the same message signed over its whole body is inside (untagged)', async () => {
    const { verdict, delivered } = await kit.inbound(replay(sig(''), SIGNED_HTML));
    expect(verdict).toBe('DEFAULT');
    expect(tagged(delivered)).toEqual({ subject: false, banner: false });
  });
  it('control: an l= signature beside an SPF pass for corp.example (its own servers) is inside', async () => {
    const message = replay(sig(` l=${SIGNED_HTML.length};`), SIGNED_HTML, CORP_SPF);
    expect(tagged((await kit.inbound(message)).delivered)).toEqual({ subject: false, banner: false });
  });
  it('control: other tags (`bl=`, `L=`: tag names are case-sensitive, a value holding `l=`) are not the length tag', async () => {
    const message = replay(sig(' bl=5; L=3; z=l=1;'), SIGNED_HTML);
    expect(tagged((await kit.inbound(message)).delivered)).toEqual({ subject: false, banner: false });
  });
});
