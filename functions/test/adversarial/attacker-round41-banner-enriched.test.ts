import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 41, on the outside-mail banner (guard at its defaults): the banner went into text/plain and
// text/html bodies only (before the fix: enriched text is now bannered in its own escapes). A body in RFC 1896 enriched text (`text/enriched`, or the older `text/richtext`), which
// Thunderbird and Apple Mail render inline as formatted text, got none: alone it is the message the reader sees,
// and as the last alternative of a multipart/alternative it is the one those clients choose over the bannered
// text/plain. The edit was committed without a word about the body it left out (only the Subject is tagged), so
// replay did not show it either.
const stack = useLocalStack();
const kit = attackerKit(stack);
const BANNER_WORDS = 'came from outside the organization';
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split(BANNER_WORDS).length - 1;
const FROM = 'From: Accounts <accounts@outside.example>';
const ENRICHED = '<bold>Action required:</bold> please pay invoice 4471 today.<nl><nl>Accounts';
const alternatives = (...parts: string[]) =>
  mail(
    [FROM, 'Content-Type: multipart/alternative; boundary="a"'],
    [...parts.flatMap((p) => ['--a', p]), '--a--', ''].join('\r\n'),
  );
const PLAIN = 'Content-Type: text/plain; charset=us-ascii\r\n\r\nPlease pay invoice 4471 today.';

describe('A41-6 banner: a text/enriched body is shown without the banner', () => {
  it('control: a text/plain body gets the banner', async () => {
    const { verdict, delivered } = await kit.inbound(
      mail([FROM, 'Content-Type: text/plain'], 'Please pay invoice 4471 today.'),
    );
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  it('control: alternatives of text/plain and text/html are both bannered', async () => {
    const { delivered } = await kit.inbound(
      alternatives(PLAIN, 'Content-Type: text/html\r\n\r\n<html><body><p>Please pay.</p></body></html>'),
    );
    expect(banners(delivered)).toBe(2);
  });
  it('a text/enriched body gets the banner', async () => {
    const { verdict, delivered } = await kit.inbound(mail([FROM, 'Content-Type: text/enriched'], ENRICHED));
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  it('a text/richtext body gets the banner', async () => {
    const { delivered } = await kit.inbound(mail([FROM, 'Content-Type: text/richtext'], ENRICHED));
    expect(banners(delivered)).toBe(1);
  });
  it('each alternative of text/plain then text/enriched gets the banner', async () => {
    const { delivered } = await kit.inbound(
      alternatives(PLAIN, `Content-Type: text/enriched; charset=us-ascii\r\n\r\n${ENRICHED}`),
    );
    expect(banners(delivered)).toBe(2);
  });
});
