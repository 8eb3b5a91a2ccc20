import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_MONITOR,
  CONTENT,
} from '../../../packages/core/src/edit/test-support/fp-round5-newsletters.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 5: pages whose Outlook markup the guard now handles otherwise than round 102 did (a Campaign
// Monitor page's two body tags, markup right before a fragment's first element), committed by the guard and drawn in
// Chromium: the page shows the same text as the sender's with the banner first, drawn where it is found.
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

const PAGES: Record<string, string> = {
  'a Campaign Monitor newsletter': CAMPAIGN_MONITOR,
  'a fragment opening with a preheader hidden from Outlook': `<!--[if !mso]><!--><div style="display:none;max-height:0;overflow:hidden">Your receipt for order 1042</div><!--<![endif]-->${CONTENT}`,
  "an MJML fragment (Outlook's table opened before its first element)": `<!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:600px;" width="600"><tr><td><![endif]--><div style="margin:0px auto;max-width:600px;">${CONTENT}</div><!--[if mso | IE]></td></tr></table><![endif]-->`,
};

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

describe.skipIf(!existsSync(CHROMIUM))(
  'FP5 in Chromium: the committed pages read as the sender wrote them',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    });
    afterAll(async () => {
      await browser?.close();
    });
    for (const [name, html] of Object.entries(PAGES))
      it(name, async () => {
        const { verdict, delivered } = await kit.inbound(
          mail(['From: Shop <news@shop.example>', 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
        );
        expect(verdict).toBe('DEFAULT');
        const committed = (await simpleParser(delivered)).html || '';
        const tab = await browser.newPage();
        try {
          await tab.setContent(html);
          const before = (await tab.evaluate(READ)) as { text: string };
          await tab.setContent(committed);
          const after = (await tab.evaluate(READ)) as { text: string; drawn: boolean };
          expect(after.drawn).toBe(true);
          // The guard's banner (its two sentences), then the sender's text as before.
          expect(after.text.startsWith(WORDS)).toBe(true);
          expect(after.text.replace(/^This message came from outside the organization\.[^.]*\.\s*/, '')).toBe(
            before.text,
          );
        } finally {
          await tab.close();
        }
      });
  },
);
