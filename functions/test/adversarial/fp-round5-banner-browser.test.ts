import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_MONITOR,
  CONTENT,
} from '../../../packages/core/src/edit/test-support/fp-round5-newsletters.js';
import { attackerKit, mail } from './attacker-kit.js';
import { CHROMIUM, expectBannerFirst, FLAGS } from './banner-in-chromium.js';
import { useLocalStack } from './stack.js';

// False-positive round 5: pages whose Outlook markup the guard now handles otherwise than round 102 did (a Campaign
// Monitor page's two body tags, markup right before a fragment's first element), committed by the guard and drawn in
// Chromium: the page shows the same text as the sender's with the banner first, drawn where it is found.
const kit = attackerKit(useLocalStack());

const PAGES: Record<string, string> = {
  'a Campaign Monitor newsletter': CAMPAIGN_MONITOR,
  'a fragment opening with a preheader hidden from Outlook': `<!--[if !mso]><!--><div style="display:none;max-height:0;overflow:hidden">Your receipt for order 1042</div><!--<![endif]-->${CONTENT}`,
  "an MJML fragment (Outlook's table opened before its first element)": `<!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:600px;" width="600"><tr><td><![endif]--><div style="margin:0px auto;max-width:600px;">${CONTENT}</div><!--[if mso | IE]></td></tr></table><![endif]-->`,
};

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
          await expectBannerFirst(tab, html, committed);
        } finally {
          await tab.close();
        }
      });
  },
);
