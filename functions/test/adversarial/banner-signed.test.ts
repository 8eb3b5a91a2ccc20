import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A clear-signed message (S/MIME or PGP/MIME multipart/signed) keeps its bytes, so at the default the banner stays
// off it (the Subject is still tagged). An outside sender can sign a phishing page with any certificate, or none the
// client trusts, to keep the banner off: SIGNED_CONTENT=wrap puts such a message whole after a part carrying it
// (attacker round 59 named this).
const stack = useLocalStack();
const kit = attackerKit(stack);
const WORDS = 'came from outside the organization';
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split(WORDS).length - 1;

const SIGNED_BODY = [
  '--s',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Confirm your payroll details <a href="https://evil.example/p">here</a>.</p>',
  '--s',
  'Content-Type: application/pkcs7-signature; name="smime.p7s"',
  'Content-Disposition: attachment; filename="smime.p7s"',
  'Content-Transfer-Encoding: base64',
  '',
  'MIAGCSqGSIb3DQEHAqCAMIACAQExADALBgkqhkiG9w0BBwEAAKCAMYIBAA==',
  '--s--',
  '',
].join('\r\n');
const signed = mail(
  [
    'From: Payroll <payroll@outside.example>',
    'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"',
  ],
  SIGNED_BODY,
);

describe('the banner on signed mail (SIGNED_CONTENT)', () => {
  it('tags only the Subject of a signed message at the default, its signed bytes unchanged', async () => {
    const { verdict, delivered } = await kit.inbound(signed);
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(0);
    expect(delivered.toString('latin1')).toContain(SIGNED_BODY);
    expect((await simpleParser(delivered)).subject).toMatch(/^\[EXTERNAL\]/);
  });

  it('with SIGNED_CONTENT=wrap, delivers it after a banner part, the signed entity byte for byte', async () => {
    const { verdict, delivered } = await kit.inbound(signed, { SIGNED_CONTENT: 'wrap' });
    expect(verdict).toBe('DEFAULT');
    const text = delivered.toString('latin1');
    expect(banners(delivered)).toBe(1);
    expect(text).toMatch(/^Content-Type: multipart\/mixed;\s+boundary="wmflow-wrap-/m);
    expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf('Confirm your payroll'));
    expect(text).toContain(SIGNED_BODY);
    expect((await simpleParser(delivered)).text).toContain(WORDS);
  });

  it('refuses a SIGNED_CONTENT it does not know, naming the setting', async () => {
    await expect(kit.inbound(signed, { SIGNED_CONTENT: 'edit-anyway' })).rejects.toThrow(/SIGNED_CONTENT/);
  });
});
