import { simpleParser } from 'mailparser';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A105: the guard puts the outside-mail banner after the page's `<body>` tag as its scan finds it. The scan ended raw
// text otherwise than browsers' tokenizers do, so an outside sender hid a `<body>` tag from every browser where the
// scan still took it for the real one, and the banner went there: inside a script
// (`<script><!--<script></script></head><body></script>`: the escape keeps the first end tag from ending it), inside
// a template's content (a `</template>` in an attribute, a nested template: template content is markup, not raw
// text), inside a title closed by `</titlex>`. Apple Mail, iOS Mail and Thunderbird parse HTML as the HTML standard
// (and parse5) does: the phishing text showed with no banner; only the subject tag was left. A comment the scan read
// as longer than browsers do (`<!-->`, `--!>`) put the banner below the sender's text.
const kit = attackerKit(useLocalStack());
const FROM = 'From: IT Service Desk <it-desk@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full. Sign in at https://evil.example/owa to keep your mail.</p>';

function browserShows(html: string): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && ['style', 'head', 'script', 'title', 'template', 'noscript'].includes(n.tagName))
      return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html, { scriptingEnabled: false }).childNodes) walk(c);
  return out.join(' ').replace(/\s+/g, ' ');
}

async function shown(html: string): Promise<string> {
  const { verdict, delivered } = await kit.inbound(
    mail([FROM, 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
  );
  expect(verdict).toBe('DEFAULT');
  const parsed = await simpleParser(delivered);
  expect(parsed.subject).toMatch(/^\[EXTERNAL\]/);
  return browserShows(parsed.html || '');
}

describe('A105: the banner put where no browser shows it', () => {
  const attacks: Record<string, string> = {
    'inside a script, past an escaped end tag': `<html><head><script><!--<script></script></head><body></script>${PHISH}</body></html>`,
    "inside a template's attribute": `<html><head><template><p title="</template></head><body>">x</p></template></head><body>${PHISH}</body></html>`,
    'inside a nested template': `<html><head><template><template></template></head><body></template></head><body>${PHISH}</body></html>`,
    'inside a title closed by </titlex>': `<html><head><title></titlex></head><body></title>${PHISH}</body></html>`,
    'below the sender’s text, after a comment closed by <!-->': `<html><head></head><!--><body>${PHISH}<!-- --><body></body></html>`,
    'below the sender’s text, after a comment closed by --!>': `<html><head></head><!-- --!><body>${PHISH}<!-- --><body></body></html>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(`shows the banner above the sender's text: ${name}`, async () => {
      const text = await shown(html);
      expect(text).toContain('Your mailbox is full');
      expect(text).toContain(WORDS);
      expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf('Your mailbox is full'));
    });
});

describe('A105 controls: ordinary heads', () => {
  it('banners a page with a Gmail JSON-LD script and an old comment-hidden script', async () => {
    const html =
      '<html><head><script type="application/ld+json">{"@context":"http://schema.org","@type":"EmailMessage","description":"Your order has shipped"}</script>' +
      '<script type="text/javascript"><!--\nvar tag = "<b>";\n//--></script></head><body><p>Your order 1042 has shipped.</p></body></html>';
    const text = await shown(html);
    expect(text.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf('Your order 1042'));
  });
});
