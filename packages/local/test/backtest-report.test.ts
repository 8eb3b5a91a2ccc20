import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestGuard, journalSamples } from './backtest-helpers.js';

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

describe.skipIf(!existsSync(CHROMIUM))('wmflow backtest --report in a real browser (chromium)', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-report-test-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads with no console error and shows the counts of the JSON summary', async () => {
    const { journal } = await journalSamples(dir);
    const report = join(dir, 'report.html');
    const blocker = ['--against', '--handler', 'samples/lambdas/wire-transfer-blocker.ts'];
    const { code, summary } = await backtestGuard(journal, ['-j', '2', '--report', report, ...blocker]);
    expect(code).toBe(0);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    expect(await page.textContent('#messages')).toBe(String(summary.messages));
    expect(await page.textContent('#changed')).toBe(String(summary.changed));
    expect(await page.textContent('#failed')).toBe(String(summary.failed));
    expect(await page.textContent('#edited')).toBe(String(summary.candidate.edited));
    for (const [type, n] of Object.entries(summary.candidate.verdicts)) {
      expect(await page.textContent(`#v0-${type}`)).toBe(String(n));
    }
    for (const [type, n] of Object.entries(summary.baseline?.verdicts ?? {})) {
      expect(await page.textContent(`#v1-${type}`)).toBe(String(n));
    }
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    // Each changed message links to its diff on the page.
    const links = await page
      .locator('table a[href^="#m"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBe(summary.changed);
    for (const href of links) expect(await page.locator(href as string).count()).toBe(1);
    await page.click(`a[href="${links[0]}"]`);
    expect(page.url()).toContain(links[0] as string);
    if (process.env.WMFLOW_REPORT_SCREENSHOT)
      await page.screenshot({ path: process.env.WMFLOW_REPORT_SCREENSHOT, fullPage: false });
    expect(errors).toEqual([]);
  }, 180_000);
});
