import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { outlookShows } from '../../../packages/core/src/edit/test-support/attacker-round102-outlook-view.js';
import { wordSourceShows } from '../../../packages/core/src/edit/test-support/attacker-round105-word-source.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A105: round 102 disabled Outlook's conditional markers before the banner, but the guard's scan of the page skipped
// raw text (the head's `<title>`, `<style>`, `<script>`), as browsers do, and Word's reading of markup there is not
// known. An outside sender opened an Outlook-hidden stretch inside the `<title>` (`<title><!--[if !mso]><!--></title>`)
// and closed it after the banner (`<!--<![endif]--></title>`, a stray end tag browsers drop): every browser showed the
// banner on top, while Outlook, reading conditional comments in the source as it goes (round 102's model), skipped from
// the title to the endif, banner and all. A plain `<!--` left open in a `<style>` and closed after the banner does the
// same to a Word that takes comments before elements.
const kit = attackerKit(useLocalStack());
const FROM = 'From: IT Service Desk <it-desk@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full. Sign in at https://evil.example/owa to keep your mail.</p>';

async function delivered(html: string) {
  const { verdict, delivered } = await kit.inbound(
    mail([FROM, 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
  );
  expect(verdict).toBe('DEFAULT');
  const parsed = await simpleParser(delivered);
  expect(parsed.subject).toMatch(/^\[EXTERNAL\]/);
  return parsed.html || '';
}

function bannerFirst(shown: string): void {
  expect(shown).toContain('Your mailbox is full');
  expect(shown).toContain(WORDS);
  expect(shown.indexOf(WORDS)).toBeLessThan(shown.indexOf('Your mailbox is full'));
}

describe('A105: the banner hidden from Outlook by markers inside the head’s raw text', () => {
  const attacks: Record<string, string> = {
    'an Outlook-hidden stretch opened in the <title>': `<html><head><title><!--[if !mso]><!--></title></head><body><!--<![endif]--></title>${PHISH}</body></html>`,
    'the same opened in a <style>': `<html><head><style type="text/css"><!--[if !mso]><!--></style></head><body><!--<![endif]--></style>${PHISH}</body></html>`,
    'the bare form in the <title>': `<html><head><title><![if !mso]></title></head><body><![endif]></title>${PHISH}</body></html>`,
    'a hidden block opened in the <title>, its endif after the banner': `<html><head><title><!--[if !mso]></title></head><body><![endif]--></title>${PHISH}</body></html>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(`shows Outlook the banner above the sender's text: ${name}`, async () => {
      const page = await delivered(html);
      bannerFirst(outlookShows(page));
      bannerFirst(wordSourceShows(page));
    });

  it('closes a comment left open in a <style> before the banner, for a Word that reads comments first', async () => {
    const page = await delivered(
      `<html><head><style><!-- </style></head><body><!-- --></style>${PHISH}</body></html>`,
    );
    bannerFirst(wordSourceShows(page));
  });
});

describe('A105 controls: ordinary heads keep their raw text', () => {
  it("keeps an Outlook-written page's commented stylesheet and Office settings as written", async () => {
    const html =
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15 (filtered medium)">' +
      '<style><!--\r\n/* Font Definitions */\r\n@font-face\r\n\t{font-family:"Cambria Math";}\r\np.MsoNormal, li.MsoNormal\r\n\t{margin:0cm;font-size:11.0pt;}\r\n--></style>' +
      '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]--></head>' +
      '<body lang=EN-GB link="#0563C1"><div class=WordSection1><p class=MsoNormal>Please find the minutes attached.</p></div></body></html>';
    const page = await delivered(html);
    expect(page).not.toContain('wmflow-off');
    expect(page).toContain('p.MsoNormal, li.MsoNormal');
    expect(page).not.toMatch(/-->-->/);
    bannerFirst(`${wordSourceShows(page)} Your mailbox is full`);
    expect(wordSourceShows(page)).toContain('Please find the minutes attached');
  });

  it('keeps Outlook-only rules written inside a newsletter stylesheet', async () => {
    const html =
      '<!doctype html><html><head><title>Weekly news <!-- issue 12 --></title><style type="text/css"><!--[if mso]>.col{width:600px !important}<![endif]-->' +
      '<!--[if !mso]><!-->@import url(https://fonts.example/ubuntu.css);<!--<![endif]-->body{margin:0}</style></head>' +
      '<body><p>This week: the new canteen menu.</p></body></html>';
    const page = await delivered(html);
    expect(page).not.toContain('wmflow-off');
    expect(page).toContain('<!--[if mso]>.col{width:600px !important}<![endif]-->');
    const outlook = outlookShows(page);
    expect(outlook.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
    expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('canteen'));
  });
});
