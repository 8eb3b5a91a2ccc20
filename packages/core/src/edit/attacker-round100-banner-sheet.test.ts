import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';

// A100 at the unit level: a banner on top opens the page with the guard's own stylesheet (an anonymous cascade
// layer, the page's first), and the banner block is a positioned box above every other.
const banner = { text: 'External', position: 'top' as const, dedupe: 'none' as const };
const SHEET = /<style><!--@layer\{[^<]*\}--><\/style>/;

type Node = DefaultTreeAdapterMap['node'];

/** The text of each `<style>` element of the bannered page, in document order, as a browser parses it. */
function styles(html: string): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n && n.tagName === 'style')
      out.push(n.childNodes.map((c) => ('value' in c ? c.value : '')).join(''));
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  walk(parse(html));
  return out;
}

describe('A100: the guard sheet a banner opens the page with', () => {
  const cases: Record<string, string> = {
    'a full page with a doctype':
      '<!DOCTYPE html><html><head><style>p{}</style></head><body><p>x</p></body></html>',
    'a page with no tags around it': '<p>x</p>',
    'a page whose head holds a style before the body opens': '<style>@layer a{p{}}</style><p>x</p>',
    'a page led by a byte order mark': '\ufeff<html><body>x',
  };
  for (const [name, html] of Object.entries(cases))
    it(`puts it first in ${name}`, () => {
      const out = disclaimHtml(html, banner);
      const sheets = styles(out);
      expect(sheets[0]).toMatch(/^<!--@layer\{/);
      expect(out.match(new RegExp(SHEET, 'g'))).toHaveLength(1);
    });
  it('keeps a leading doctype first', () => {
    expect(disclaimHtml('<!DOCTYPE html><p>x', banner)).toMatch(
      /^<!DOCTYPE html><html style="[^"]*"><style><!--@layer\{/,
    );
  });
  it('makes the banner a positioned box above every other', () => {
    const out = disclaimHtml('<p>x</p>', banner);
    expect(out).toMatch(/<div style="[^"]*position:relative !important;z-index:2147483647 !important;/);
  });
  it('control: a bottom disclaimer adds no sheet', () => {
    expect(disclaimHtml('<body><p>x</p></body>', { ...banner, position: 'bottom' })).not.toContain('<style>');
  });
  it('control: a page already holding the banner is left alone (a retry adds no second sheet)', () => {
    const once = disclaimHtml('<p>x</p>', { ...banner, dedupe: 'text' as const });
    expect(disclaimHtml(once, { ...banner, dedupe: 'text' as const })).toBe(once);
  });
});
