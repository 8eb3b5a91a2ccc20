import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const CONTENT =
  '<table role="presentation" width="100%"><tr><td align="center"><h1>Winter sale</h1><p>Up to 40% off all boots.</p></td></tr></table>';
const CAMPAIGN_MONITOR = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional //EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width" /><!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge" /><!--<![endif]-->
<title></title>
<!--[if !mso]><!--><style type="text/css">
@import url(https://fonts.googleapis.com/css?family=Open+Sans:400,700,400italic);
</style><link href="https://fonts.googleapis.com/css?family=Open+Sans:400,700,400italic" rel="stylesheet" type="text/css" /><!--<![endif]--><style type="text/css">
body{margin:0;padding:0}
</style>
<!--[if gte mso 9]><style>.column-top{mso-line-height-rule:exactly !important}</style><![endif]-->
<meta name="robots" content="noindex,nofollow" />
<meta property="og:title" content="Winter sale" />
</head>
<!--[if mso]>
  <body class="mso">
<![endif]-->
<!--[if !mso]><!-->
  <body class="full-padding" style="margin: 0;padding: 0;-webkit-text-size-adjust: 100%;">
<!--<![endif]-->
<table class="wrapper" style="border-collapse: collapse;table-layout: fixed;min-width: 320px;width: 100%;background-color: #fff;" cellpadding="0" cellspacing="0" role="presentation"><tbody><tr><td>
<div role="banner"><div class="preheader" style="Margin: 0 auto;max-width: 560px;min-width: 280px; width: 280px;"><div style="border-collapse: collapse;display: table;width: 100%;"><!--[if (mso)|(IE)]><table align="center" class="preheader" cellpadding="0" cellspacing="0" role="presentation"><tr><td style="width: 280px" valign="top"><![endif]--><div class="snippet" style="display: table-cell;Float: left;font-size: 12px;line-height: 19px;max-width: 280px;min-width: 140px;">Our winter sale starts today</div><!--[if (mso)|(IE)]></td></tr></table><![endif]--></div></div></div>
${CONTENT}
</td></tr></tbody></table>
</body></html>`;

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
