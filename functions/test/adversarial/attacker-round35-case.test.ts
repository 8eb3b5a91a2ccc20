import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 35 (session 29): a `İ` (U+0130) lower-cases to two characters, so a parser that found its
// positions in `text.toLowerCase()` and cut `text` at them read the wrong slice after it. Each case got past
// before the fix (an executable delivered, a reversed card sent, the outside-mail banner put in a comment).
const stack = useLocalStack();
const kit = attackerKit(stack);

const shell = Buffer.from('#!/bin/sh\nopen -a Calculator\n');
const named = (headers: string, content: Buffer) =>
  mail(
    [MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );
const withCt = (ct: string, name = 'Invoice') =>
  named(`Content-Type: ${ct}\r\nContent-Disposition: attachment; filename="${name}"`, shell);

describe('A35 x-unix-mode: a lower-cased header longer than the header', () => {
  it('control: x-unix-mode=0755 on Invoice is refused', async () => {
    expect(
      (await kit.inbound(withCt('application/octet-stream; x-unix-mode=0755; name="Invoice"'))).verdict,
    ).not.toBe('DEFAULT');
  });
  const CASES: Record<string, Buffer> = {
    'İ in the file name before the parameter (UTF-8 header)': withCt(
      'application/octet-stream; name="İnvoice"; x-unix-mode=0755',
      'İnvoice',
    ),
    'İ in a comment before the parameter': withCt(
      'application/octet-stream; (İ) x-unix-mode=0755; name="Invoice"',
    ),
    'İ in an unrelated parameter': withCt(
      'application/octet-stream; x-mac-creator="İİ"; x-unix-mode=0755; name="Invoice"',
    ),
  };
  for (const [name, m] of Object.entries(CASES))
    it(name, async () => {
      expect((await kit.inbound(m)).verdict).not.toBe('DEFAULT');
    });
});

const BOB = 'From: Bob <bob@corp.example>';
const html = (body: string) =>
  mail([BOB, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], body);
// Drawn right to left, `1111 1111 1111 1114` shows `4111 1111 1111 1111`.
const page = (before: string) =>
  html(`<html><body><p>${before} Card: <bdo dir="rtl">1111 1111 1111 1114</bdo></p></body></html>`);

describe('A35 <bdo> read at offsets of the lower-cased page', () => {
  it('control: a reversed card in <bdo dir=rtl> bounces', async () => {
    expect(await kit.outbound(page('Istanbul'))).toBe('BOUNCE');
  });
  it('İ before the <bdo> (İstanbul) shifts the reversal', async () => {
    expect(await kit.outbound(page('İstanbul'))).toBe('BOUNCE');
  });
  it('four İ before the <bdo>', async () => {
    expect(await kit.outbound(page('İİİİ'))).toBe('BOUNCE');
  });
});

const SAM = 'From: Sam <sam@outside.example>';
const titled = (title: string) =>
  mail(
    [SAM, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
    `<html><head><title>${title}</title></head><body><!--${'x'.repeat(40)}--><p>Please pay the attached invoice today.</p></body></html>`,
  );
// The banner where a browser shows it: the decoded HTML body, comments dropped.
const shownBanner = (delivered: Buffer) => {
  const raw = delivered.toString('latin1');
  const qp = raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/=\r?\n/g, '');
  const body = Buffer.from(
    qp.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  ).toString('utf-8');
  return /came from outside the organization/.test(body.replace(/<!--[\s\S]*?-->/g, ''));
};

describe('A35 banner: a dotted capital I before <body> shifts where the banner goes', () => {
  it('control: an ASCII title gets a shown banner', async () => {
    const { delivered } = await kit.inbound(titled('Invoice'));
    expect(shownBanner(delivered)).toBe(true);
  });
  it('twenty İ in the title put the banner inside a comment', async () => {
    const { delivered } = await kit.inbound(titled('İ'.repeat(20)));
    expect(shownBanner(delivered)).toBe(true);
  });
});
