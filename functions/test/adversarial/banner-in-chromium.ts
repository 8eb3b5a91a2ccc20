import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// The local Chromium, as the false-positive rounds draw committed pages in it (Debian's package; the tests skip without it).
export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

const WORDS = 'This message came from outside the organization.';

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

/**
 * Draws the sender's page and the committed one in `tab`: the banner is drawn where it is found, its two sentences
 * come first, and the sender's text follows as before.
 */
export async function expectBannerFirst(
  tab: Page,
  original: string,
  committed: string,
  load?: { waitUntil: 'domcontentloaded' },
): Promise<void> {
  await tab.setContent(original, load);
  const before = (await tab.evaluate(READ)) as { text: string };
  await tab.setContent(committed, load);
  const after = (await tab.evaluate(READ)) as { text: string; drawn: boolean };
  expect(after.drawn).toBe(true);
  expect(after.text.startsWith(WORDS)).toBe(true);
  expect(after.text.replace(/^This message came from outside the organization\.[^.]*\.\s*/, '')).toBe(
    before.text,
  );
}
