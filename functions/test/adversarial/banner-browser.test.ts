import { existsSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// The guard's outside-mail banner under a sender's stylesheet (attacker round 21: `p{display:none !important}`
// left an empty orange bar), drawn in a real browser: the banner's text must be laid out, in black at a readable
// size, and be what the browser finds at its place (positioned overdraw is a documented limit, not tried here).

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const BANNER_WORDS = 'came from outside the organization';

// Run in the page (a string: this package's TypeScript has no DOM types): what keeps the banner text from being
// read, or 'shown'.
const BANNER_CHECK = `(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.includes(${JSON.stringify(BANNER_WORDS)})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    const element = node.parentElement;
    const style = getComputedStyle(element);
    // The banner's own elements, from the text up to its block (the one with the banner's background).
    const own = [];
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      own.push(e);
      if (getComputedStyle(e).backgroundColor === 'rgb(255, 244, 229)') break;
    }
    let opacity = 1;
    for (let e = element; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const altered = own.flatMap((e) => {
      const s = getComputedStyle(e);
      const is = (name, value) => (s.getPropertyValue(name) || value) === value;
      return [
        ['transform', 'none'], ['filter', 'none'], ['clip-path', 'none'], ['scale', 'none'], ['translate', 'none'],
        ['rotate', 'none'], ['zoom', '1'], ['mask-image', 'none'], ['-webkit-mask-image', 'none'],
        ['-webkit-mask-box-image-source', 'none'], ['-webkit-text-stroke-width', '0px'],
        ['-webkit-text-security', 'none'], ['text-decoration-line', 'none'], ['offset-path', 'none'],
        ['contain', 'none'], ['content-visibility', 'visible'], ['backface-visibility', 'visible'],
        ['visibility', 'visible'],
      ].filter(([name, value]) => !is(name, value)).map(([name]) => e.tagName + ' ' + name);
    });
    const hit = document.elementFromPoint(rect.left + Math.min(rect.width, 40) / 2, rect.top + rect.height / 2);
    const problems = [
      rect.width < 100 || rect.height < 10 ? 'laid out ' + rect.width + 'x' + rect.height : '',
      rect.right < 0 || rect.bottom < 0 ? 'off the page' : '',
      opacity < 1 ? 'opacity ' + opacity : '',
      style.color !== 'rgb(0, 0, 0)' ? 'colour ' + style.color : '',
      style.getPropertyValue('-webkit-text-fill-color') !== 'rgb(0, 0, 0)' ? 'text fill' : '',
      Number.parseFloat(style.fontSize) < 12 ? 'size ' + style.fontSize : '',
      altered.length > 0 ? altered.join(' ') : '',
      hit !== element && !element.contains(hit) ? 'covered by ' + (hit && hit.tagName) : '',
    ].filter(Boolean);
    return problems.join(', ') || 'shown';
  }
  return 'no banner text';
})()`;

const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (style: string) =>
  mail(
    ['From: Sam <sam@outside.example>', 'Content-Type: text/html; charset=utf-8'],
    `<html><head><style>${style}</style></head><body><div>Please pay invoice 4471 today.</div></body></html>\r\n`,
  );

const SHEETS: Record<string, string> = {
  'display:none on paragraphs': 'p{display:none !important}',
  'size 0 and the banner colour': 'div>p{font-size:0 !important;color:#fff4e5 !important}',
  'WebKit text fill transparent': 'p{-webkit-text-fill-color:transparent !important}',
  'an indent off the page': 'p,div{text-indent:-9999px !important;overflow:hidden !important}',
  'scaled to nothing': 'div,p{transform:scale(0) !important}',
  'opacity 0': 'div,p{opacity:0 !important}',
  'no height':
    'div,p{max-height:0 !important;height:0 !important;overflow:hidden !important;line-height:0 !important}',
  'clipped away': 'div,p{clip-path:inset(50%) !important}',
  'letters on top of each other': 'p{letter-spacing:-20px !important}',
  'moved off the page': 'div,p{position:absolute !important;left:-9999px !important}',
  'the first block hidden': 'body>div:first-child,body>*:first-child{display:none !important}',
  'a filter': 'div,p{filter:opacity(0) !important}',
  'everything hidden': '*{visibility:hidden !important}',
  'white on white': 'p{color:#fff !important} div{background:#fff !important}',
  'content-visibility hidden': 'div,p{content-visibility:hidden !important}',
  // Attacker round 22.
  'a stroke in the background colour': 'p,span{-webkit-text-stroke:6px #fff4e5 !important}',
  'letters shown as discs': 'p,span{-webkit-text-security:disc !important}',
  'a transparent mask on the block':
    'body>div:first-child{-webkit-mask-image:linear-gradient(transparent,transparent) !important;mask-image:linear-gradient(transparent,transparent) !important}',
  'contain strict': 'p,span{contain:strict !important}',
  'zoomed out': 'p,span{zoom:0.02 !important}',
  'scale 0': 'div,p,span{scale:0 !important}',
  'translated away': 'div,p,span{translate:-9999px !important}',
  'rotated edge-on': 'div,p,span{rotate:x 90deg !important}',
  'turned away': 'div,p,span{backface-visibility:hidden !important;rotate:y 180deg !important}',
  'the first line at size 0': 'p::first-line{font-size:0 !important}',
  'a line through in the background colour': 'div{text-decoration:line-through 40px #fff4e5 !important}',
  'an offset path': 'div,p,span{offset-path:path("M -5000 -5000") !important}',
  'a mask box image':
    'body>div:first-child{-webkit-mask-box-image:linear-gradient(transparent,transparent) !important}',
};

describe.skipIf(!existsSync(CHROMIUM))(
  'the outside-mail banner under a sender’s stylesheet (chromium)',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('draws the banner text visibly whatever the page’s own rules say', async () => {
      const tab = await browser.newPage();
      const shown: Record<string, string> = {};
      for (const [name, style] of Object.entries(SHEETS)) {
        const { verdict, delivered } = await kit.inbound(page(style));
        expect(verdict, name).toBe('DEFAULT');
        const html = (await simpleParser(delivered)).html;
        expect(html, name).toContain(BANNER_WORDS);
        await tab.setContent(html || '');
        shown[name] = (await tab.evaluate(BANNER_CHECK)) as string;
      }
      expect(shown).toEqual(Object.fromEntries(Object.keys(SHEETS).map((name) => [name, 'shown'])));
    }, 120_000);
  },
);
