import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../../packages/core/src/edit/test-support/fp-round7-pages.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 7 over attacker round 105 (the banner's page scan reads script escapes, template content, raw
// text, comment endings and attribute quoting as browsers do; Outlook markers inside the head's raw text count): ordinary
// pages real senders' tools write, through the guard at its defaults, then drawn in Chromium with scripts off, as mail
// clients draw them: delivered and tagged, the banner drawn first, where it is found, and the sender's text as before.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];
const WORDS = 'This message came from outside the organization.';
const kit = attackerKit(useLocalStack());

// Run in the page: its text as drawn, and whether the banner's text is what the browser finds at its place.
const READ = `(() => {
  const text = document.body.innerText.replace(/\\s+/g, ' ').trim();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.includes('came from outside the organization')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);
    return { text, drawn: r.width > 100 && r.height > 10 && (hit === node.parentElement || node.parentElement.contains(hit)) };
  }
  return { text, drawn: false };
})()`;

describe.skipIf(!existsSync(CHROMIUM))('FP7 in Chromium: ordinary heads bannered on top', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    context = await browser.newContext({ javaScriptEnabled: false, offline: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  for (const [name, html] of Object.entries(PAGES))
    it(name, async () => {
      const { verdict, delivered } = await kit.inbound(
        mail(['From: News <news@sender.example>', 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
      );
      expect(verdict).toBe('DEFAULT');
      const parsed = await simpleParser(delivered);
      expect(parsed.subject).toMatch(/^\[EXTERNAL\]/);
      const committed = parsed.html || '';
      expect(committed).not.toContain('wmflow-off');
      const tab = await context.newPage();
      try {
        await tab.setContent(html, { waitUntil: 'domcontentloaded' });
        const before = (await tab.evaluate(READ)) as { text: string };
        await tab.setContent(committed, { waitUntil: 'domcontentloaded' });
        const after = (await tab.evaluate(READ)) as { text: string; drawn: boolean };
        expect(after.drawn).toBe(true);
        expect(after.text.startsWith(WORDS)).toBe(true);
        // The guard's banner (its two sentences), then the sender's text as before.
        expect(after.text.replace(/^This message came from outside the organization\.[^.]*\.\s*/, '')).toBe(
          before.text,
        );
      } finally {
        await tab.close();
      }
    });
});
