import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';
/** How many times the banner's words occur in the delivered message (QP soft breaks undone). */
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split('came from outside the organization').length - 1;

// Attacker round 57, A57-1: round 56 read an ASCII body labelled UTF-32 (which WHATWG readers do not have: they fall
// back to an ASCII-compatible default) as an unknown charset, but one 8-bit byte (a UTF-8 é) or the UTF-8 bytes of
// U+FFFD kept it off that path and the splice found no <body> in the UTF-32 reading: no banner. Such a body is now
// spliced as ASCII-compatible bytes, its own kept as they are.
const PAGE = (extra: string) =>
  `<html><body><!--${extra}--><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a></p></body></html>`;
const mk = (cs: string, html: string) =>
  mail([FROM, `Content-Type: text/html; charset=${cs}`, 'Content-Transfer-Encoding: 8bit'], html);

describe('A57-1: UTF-32 label with non-ASCII bytes', () => {
  it('banners a UTF-32-labelled HTML body holding the UTF-8 bytes of U+FFFD', async () => {
    const r = await kit.inbound(mk('utf-32', PAGE('\u{FFFD}')));
    expect(r.verdict).toBe('DEFAULT');
    expect(banners(r.delivered)).toBe(1);
  });
  it('banners a UTF-32-labelled HTML body holding a UTF-8 é', async () => {
    const r = await kit.inbound(mk('utf-32', PAGE('café')));
    expect(r.verdict).toBe('DEFAULT');
    expect(banners(r.delivered)).toBe(1);
  });
  it('control: the pure ASCII body labelled utf-32 is bannered (round 56 fix)', async () => {
    const r = await kit.inbound(mk('utf-32', PAGE('x')));
    expect(banners(r.delivered)).toBeGreaterThan(0);
  });
  it('control: the é body labelled utf-8 is bannered', async () => {
    const r = await kit.inbound(mk('utf-8', PAGE('café')));
    expect(banners(r.delivered)).toBeGreaterThan(0);
  });
});
describe('A57-1: more UTF-32 variants', () => {
  it('banners a utf-32le-labelled HTML body holding a UTF-8 no-break space', async () => {
    const r = await kit.inbound(mk('utf-32le', PAGE('\u00a0')));
    expect(r.verdict).toBe('DEFAULT');
    expect(banners(r.delivered)).toBe(1);
  });
});
