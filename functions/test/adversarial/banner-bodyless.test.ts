import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A multipart message with no part a client shows as the body text (an inline image in a multipart/mixed, a
// related whose root is an image, a file alone) kept the outside-mail banner off (left open after attacker rounds
// 55 and 56: its headers were out before the editor knew). A first pass now reads the structure up to the first
// body part (the whole message only when there is none), and such a message is wrapped after a banner part.
const stack = useLocalStack();
const kit = attackerKit(stack);
const WORDS = 'came from outside the organization';
const FROM = 'From: Accounts <accounts@outside.example>';
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split(WORDS).length - 1;
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const image = (extra: string[] = []) => [
  'Content-Type: image/png',
  'Content-Transfer-Encoding: base64',
  ...extra,
  '',
  PNG,
];
const multipart = (type: string, boundary: string, parts: string[][]) =>
  [
    `Content-Type: ${type}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, ...p]),
    `--${boundary}--`,
  ].join('\r\n');
const message = (body: string) => {
  const [head, , ...rest] = body.split('\r\n');
  return mail([FROM, head ?? ''], [...rest, ''].join('\r\n'));
};

/** Delivered with one banner first, the original structure after it byte for byte, and the picture intact. */
async function expectWrapped(sent: Buffer, original: string) {
  const { verdict, delivered } = await kit.inbound(sent);
  expect(verdict).toBe('DEFAULT');
  const text = delivered.toString('latin1');
  expect(banners(delivered)).toBe(1);
  expect(text).toMatch(/^Content-Type: multipart\/mixed;\s+boundary="wmflow-wrap-/m);
  expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf(PNG));
  expect(text).toContain(original);
  const parsed = await simpleParser(delivered);
  expect(parsed.text).toContain(WORDS);
  expect(parsed.attachments.map((a) => a.content.toString('base64'))).toContain(PNG);
}

describe('a banner for a multipart message with no text body', () => {
  it('wraps a multipart/mixed whose only part is an inline picture', async () => {
    const body = multipart('multipart/mixed', 'm', [image(['Content-Disposition: inline'])]);
    await expectWrapped(message(body), body.split('\r\n').slice(2).join('\r\n'));
  });

  it('wraps a multipart/related whose start= root is a picture, leaving its unshown HTML resource alone', async () => {
    const body = multipart('multipart/related; start="<root>"', 'r', [
      ['Content-Type: text/html', '', '<p>resource</p>'],
      image(['Content-ID: <root>']),
    ]);
    await expectWrapped(message(body), '<p>resource</p>');
  });

  it('wraps a message that is only a file, and a picture two multiparts deep', async () => {
    const file = multipart('multipart/mixed', 'm', [
      ['Content-Type: application/pdf; name="invoice.pdf"', 'Content-Transfer-Encoding: base64', '', PNG],
    ]);
    const { delivered } = await kit.inbound(message(file));
    expect(banners(delivered)).toBe(1);
    const nested = multipart('multipart/mixed', 'outer', [
      multipart('multipart/related', 'inner', [image()]).split('\r\n'),
    ]);
    await expectWrapped(message(nested), '--inner--');
  });

  it('finds a text body after a 3 MB picture: one banner, in that body, no wrapper', async () => {
    const big = randomBytes(3 * 1024 * 1024)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const body = multipart('multipart/mixed', 'm', [
      ['Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', big.trimEnd()],
      ['Content-Type: text/plain; charset=utf-8', '', 'Pay the invoice today.'],
    ]);
    const { delivered } = await kit.inbound(message(body));
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).not.toContain('wmflow-wrap-');
    expect(delivered.toString('latin1')).toContain(big.slice(0, 10_000));
  });

  it('control: a text body first gets the banner in place, not a wrapper', async () => {
    const body = multipart('multipart/mixed', 'm', [['Content-Type: text/plain', '', 'Hello.'], image()]);
    const { delivered } = await kit.inbound(message(body));
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).not.toContain('wmflow-wrap-');
  });

  it('control: a signed message with only a picture is left as it is (its signature would break)', async () => {
    const body = multipart('multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256', 's', [
      image(),
      ['Content-Type: application/pkcs7-signature', 'Content-Transfer-Encoding: base64', '', 'AAAA'],
    ]);
    const { delivered } = await kit.inbound(message(body));
    expect(banners(delivered)).toBe(0);
    expect(delivered.toString('latin1')).toContain(body.split('\r\n').slice(2).join('\r\n'));
  });
});
