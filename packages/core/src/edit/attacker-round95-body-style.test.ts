import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { scanHtml } from './html-scan.js';

// A95-1 at the unit level: a banner on top pins the body's layout with inline `!important` styles appended to the
// `<body>` tag's first style attribute (the one a browser keeps), whatever way the sender wrote it.
const banner = { text: 'External', position: 'top' as const, dedupe: 'none' as const };

/** The body's style attribute as a browser parses the bannered page. */
function bodyStyle(html: string): string {
  const doc = parse(disclaimHtml(html, banner));
  const root = doc.childNodes.find((n) => 'tagName' in n && n.tagName === 'html');
  const body =
    root && 'childNodes' in root
      ? root.childNodes.find((n) => 'tagName' in n && n.tagName === 'body')
      : undefined;
  return body && 'attrs' in body ? (body.attrs.find((a) => a.name === 'style')?.value ?? '') : '';
}
const PINNED = /display:block !important;position:static !important;.*margin-top:0 !important;$/;

describe('A95-1: the body tag style the banner pins', () => {
  const cases: Record<string, string> = {
    'no style attribute': '<body class="a"><p>x</p>',
    'a double-quoted style': '<body style="display:flex;flex-direction:column-reverse"><p>x</p>',
    'a single-quoted style holding a double quote': `<body style='font-family:"A B";display:flex'><p>x</p>`,
    'an unquoted style': '<body style=display:flex bgcolor=#fff><p>x</p>',
    'a self-closing tag': '<body style="display:grid"/><p>x</p>',
    'two style attributes': '<body style="display:flex" style="display:block"><p>x</p>',
    'an unclosed comment in the style': '<body style="display:flex /*"><p>x</p>',
    'an unclosed bracket in the style': '<body style="display:flex;background:url(a"><p>x</p>',
    'a character reference in the style': '<body style="display:flex&#x2f;&#x2a;"><p>x</p>',
    'a trailing escape in the style': '<body style="display:flex\\"><p>x</p>',
    'no body tag': '<p>x</p>',
  };
  for (const [name, html] of Object.entries(cases))
    it(`pins it with ${name}`, () => {
      expect(bodyStyle(html)).toMatch(PINNED);
    });
  it('keeps a closed style of the sender before its own', () => {
    expect(bodyStyle('<body style="background:#123;color:rgb(1,2,3)"><p>x</p>')).toMatch(
      /^background:#123;color:rgb\(1,2,3\);display:block !important;/,
    );
  });
  it('drops a style that would swallow the pinned declarations', () => {
    expect(bodyStyle('<body style="display:flex /*"><p>x</p>')).not.toContain('flex');
  });
  it('control: a bottom disclaimer leaves the body tag alone', () => {
    const html = '<body style="display:flex"><p>x</p></body>';
    expect(disclaimHtml(html, { ...banner, position: 'bottom' })).toMatch(
      /^<body style="display:flex"><p>x<\/p><div/,
    );
  });
  it('opens the root with its layout pinned after a leading doctype, keeping the first html style', () => {
    const out = disclaimHtml(
      '<!-- a --><!DOCTYPE html>\n<html lang="en" style="color:red"><html style="top:-9px"><body>x',
      banner,
    );
    expect(out).toMatch(
      /^<!-- a --><!DOCTYPE html><html style="color:red;display:block !important;[^"]*"><style><!--@layer\{[^<]*--><\/style>\n<html lang/,
    );
  });
  it('opens the root at the start when no doctype leads', () => {
    expect(disclaimHtml('x<!DOCTYPE html><body>y', banner)).toMatch(
      /^<html style="display:block !important;/,
    );
  });
  it('scans linearly: a long body tag is read once', () => {
    const html = `<body ${'a=b '.repeat(50_000)}style="display:flex">x`;
    expect(scanHtml(html).bodyTag).toEqual([0, html.length - 1]);
    expect(bodyStyle(html)).toMatch(PINNED);
  });
});
