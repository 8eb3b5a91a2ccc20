import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A100 held probes at the MIME level: a multipart/alternative whose last branch is one the guard does not banner as
// HTML (an AMP part, which Gmail shows instead of the HTML for senders Google registered; Apple's `text/watch-html`)
// still carries the banner there: every text branch of an alternative is bannered as plain text on top (round 56),
// which also leaves the AMP document invalid (text before its doctype), so Gmail falls back to the bannered HTML.
const kit = attackerKit(useLocalStack());
const FROM = 'From: CEO <ceo@outside.example>';
const WORDS = 'came from outside the organization';
const alternative = (last: string) =>
  [
    '--a',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Wire the funds today.',
    '--a',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Wire the funds today.</p>',
    '--a',
    last,
    '--a--',
    '',
  ].join('\r\n');

describe('A100 held: alternatives whose preferred branch the guard does not banner', () => {
  const lasts: Record<string, string> = {
    'an AMP part (text/x-amp-html)':
      'Content-Type: text/x-amp-html; charset=utf-8\r\n\r\n<!doctype html><html \u26a14email><head><meta charset="utf-8"><script async src="https://cdn.ampproject.org/v0.js"></script><style amp4email-boilerplate>body{visibility:hidden}</style></head><body><p>Wire the funds today.</p></body></html>',
    'a watch part (text/watch-html)':
      'Content-Type: text/watch-html; charset=utf-8\r\n\r\n<p>Wire the funds today.</p>',
  };
  for (const [name, last] of Object.entries(lasts))
    it(`banners the last branch when it is ${name}`, async () => {
      const { verdict, delivered } = await kit.inbound(
        mail([FROM, 'Content-Type: multipart/alternative; boundary="a"'], alternative(last)),
      );
      expect(verdict).toBe('DEFAULT');
      const text = delivered.toString('utf8');
      const branch = text.slice(text.lastIndexOf('--a\r\n'));
      const start = branch.search(/\r?\n\r?\n/);
      // The branch's body opens with the banner's text, before the sender's document.
      expect(branch.slice(start).trimStart()).toMatch(/^This message came from outside the organization/);
      expect(branch.indexOf('This message came')).toBeLessThan(branch.search(/<!doctype|<p>/i));
    });
  it('puts the banner on top of the text branch', async () => {
    const { delivered } = await kit.inbound(
      mail([FROM, 'Content-Type: text/plain; charset=utf-8'], 'Hi,\r\n\r\nWire the funds today.\r\n'),
    );
    const text = delivered.toString('utf8');
    expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf('Wire the funds'));
  });
});
