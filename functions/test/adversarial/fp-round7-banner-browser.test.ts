import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../../packages/core/src/edit/test-support/fp-round7-pages.js';
import { attackerKit, mail } from './attacker-kit.js';
import { CHROMIUM, expectBannerFirst, FLAGS } from './banner-in-chromium.js';
import { useLocalStack } from './stack.js';

// False-positive round 7 over attacker round 105 (the banner's page scan reads script escapes, template content, raw
// text, comment endings and attribute quoting as browsers do; Outlook markers inside the head's raw text count): ordinary
// pages real senders' tools write, through the guard at its defaults, then drawn in Chromium with scripts off, as mail
// clients draw them: delivered and tagged, the banner drawn first, where it is found, and the sender's text as before.
const kit = attackerKit(useLocalStack());

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
        await expectBannerFirst(tab, html, committed, { waitUntil: 'domcontentloaded' });
      } finally {
        await tab.close();
      }
    });
});
