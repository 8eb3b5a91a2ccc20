import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarkupScan } from './markup-scan.js';

// The pages of attacker round s11 opened in a real browser: each runs its script in Chromium (so the finding
// is no guess about browsers) and the page scan refuses it.

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
// As backtest-report.test.ts starts it: without the background-networking flags, Chromium opens connections the
// machine's closed network refuses.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const RUN = '<script>pwn=1</script>';
const JIS = '<meta charset="iso-2022-jp">';
const JIS_RUN = '<scr\x1b(Bipt>pwn=1</script>';
const SVG = 'xmlns="http://www.w3.org/2000/svg"';
const cdata = (charset: string, lead: string) =>
  `<meta charset="${charset}"><svg><![CDATA[${lead}]]> <a title=']]>${RUN}'>`;

/** name → [page, file extension, click it]. */
const PAGES: Record<string, [string, string, boolean?]> = {
  'ISO-2022-JP, two escapes in a row': [`${JIS}<!-\x1b(B\x1b(B- x>${JIS_RUN}`, 'html'],
  'ISO-2022-JP, an unknown escape': [`${JIS}<!-\x1b- x>${JIS_RUN}`, 'html'],
  'ISO-2022-JP, half a kanji cut by an escape': [`${JIS}<!-\x1b$Bx\x1b(B- x>${JIS_RUN}`, 'html'],
  'ISO-2022-JP, --ESC>': [`${JIS}<!-- x --\x1b> <a title=' --> ${JIS_RUN} '>`, 'html'],
  'ISO-2022-JP, a kanji run across a line break': [`${JIS}\x1b$B\n<a title='\x1b(B${JIS_RUN}'>`, 'html'],
  'ISO-2022-JP, a katakana run across a line break': [`${JIS}\x1b(I\n<a title='\x1b(B${JIS_RUN}'>`, 'html'],
  'Shift_JIS CDATA': [cdata('shift_jis', '\x81'), 'html'],
  'Big5 CDATA': [cdata('big5', '\xa4'), 'html'],
  'GBK CDATA': [cdata('gbk', '\x81'), 'html'],
  'gb18030 CDATA': [cdata('gb18030', '\x81'), 'html'],
  'Shift_JIS SVG CDATA': [
    `<?xml version="1.0" encoding="shift_jis"?><svg ${SVG}><![CDATA[\x81]]><x y=']]>${RUN}'</svg>`,
    'svg',
  ],
  '<p!x=': [`<p!x='>${RUN}'>`, 'html'],
  '</p!x=': [`</p!x='>${RUN}'>`, 'html'],
  '<p<!--': ['<p<!--</style><img src=x onerror=pwn=1>', 'html'],
  '<!x<!--': ['<!x<!-- x><img src=x onerror=pwn=1>', 'html'],
  '<?x<!--': ['<?x<!-- x><img src=x onerror=pwn=1>', 'html'],
  '<a =': [`<a ='>${RUN}'>`, 'html'],
  '<a/=': [`<a/='>${RUN}'>`, 'html'],
  '<a x=1 =': [`<a x=1 ='>${RUN}'>`, 'html'],
  "<a x='1'=": [`<a x='1'='>${RUN}'>`, 'html'],
  '<_ <script>': [`<_ ${RUN}`, 'html'],
  '<_ x=a<script>': [`<_ x=a${RUN}`, 'html'],
  '<é=/<script>': [`<meta charset="utf-8"><\xc3\xa9=/${RUN}`, 'html'],
  '<!ATTLIST svg onload>': [`<!DOCTYPE svg [<!ATTLIST svg onload CDATA "pwn=1">]><svg ${SVG}/>`, 'svg'],
  '<!ATTLIST img onerror> in XHTML': [
    '<!DOCTYPE html [<!ATTLIST img onerror CDATA "pwn=1">]><html xmlns="http://www.w3.org/1999/xhtml"><body><img src="x"/></body></html>',
    'xhtml',
  ],
  'an entity holding javascript:, clicked': [
    `<!DOCTYPE svg [<!ENTITY a "javas"><!ENTITY b "cript:pwn=1">]><svg ${SVG} width="300" height="300"><a href="&a;&b;"><rect width="300" height="300"/></a></svg>`,
    'svg',
    true,
  ],
};

describe.skipIf(!existsSync(CHROMIUM))('attacker round s11 pages in a real browser (chromium)', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-markup-test-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs each page`s script, and the scan refuses each page', async () => {
    const page = await browser.newPage();
    const ran: Record<string, boolean> = {};
    const refused: Record<string, boolean> = {};
    let n = 0;
    for (const [name, [text, extension, click]] of Object.entries(PAGES)) {
      const bytes = Buffer.from(text, 'latin1');
      const file = join(dir, `page-${n++}.${extension}`);
      await writeFile(file, bytes);
      await page.goto(pathToFileURL(file).href);
      if (click) await page.mouse.click(50, 50);
      ran[name] = await page.waitForFunction('globalThis.pwn === 1', undefined, { timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      const scan = new MarkupScan();
      scan.push(bytes);
      refused[name] = scan.end() !== undefined;
    }
    const all = Object.fromEntries(Object.keys(PAGES).map((name) => [name, true]));
    expect(ran).toEqual(all);
    expect(refused).toEqual(all);
  }, 120_000);
});
