import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { scanHtml } from './html-scan.js';

// Attacker round 85 (A85-2): the banner goes where a browser opens the body, not after a `<body>` tag that comes
// after content the browser already put in the body (an element of the sender's opened before it would hold the
// banner: a clipped or hidden div, a hidden cell, a reversed flex box).
const banner = { text: 'Outside mail', position: 'top' as const, dedupe: 'none' as const };
const before = (html: string) => html.slice(0, scanHtml(html).bodyStart);

describe('A85-2: the body starts where the browser opens it', () => {
  it('opens at the first start tag that is not head material, before a later <body> tag', () => {
    expect(before('<html><head></head><div style="height:0;overflow:hidden"><body></div>')).toBe(
      '<html><head></head>',
    );
    expect(before('<head><title>t</title><td style="display:none"><body>')).toBe('<head><title>t</title>');
    expect(before('<html><noscript><div><body>')).toBe('<html>');
    expect(before('<svg><body>')).toBe('');
  });
  it('opens at the first text that is not white space, and at a `<` that opens no tag', () => {
    expect(before('<html>\r\n\t Pay now<body>')).toBe('<html>\r\n\t ');
    expect(before('<html>&nbsp;<body>')).toBe('<html>');
    expect(before('<html>< 3<body>')).toBe('<html>');
    expect(before('<html>\r\n<p>x</p>')).toBe('<html>\r\n');
    expect(before('Pay now')).toBe('');
  });
  it('control: head material, comments, doctypes and white space stay before the banner', () => {
    const head =
      '\uFEFF<!DOCTYPE html>\r\n<!-- <div> --><html><head><meta charset="utf-8"><base href="https://a.example/">' +
      '<title>T <div></title><style>div{}</style><script>"<div>"</script><link rel="x"><template><div></template>' +
      '<noframes><div></noframes></head>\r\n\r\n';
    expect(before(`${head}<body class="m"><p>Hi</p></body></html>`)).toBe(`${head}<body class="m">`);
    expect(before('<html><head></head></head>\r\n<body>x')).toBe('<html><head></head></head>\r\n<body>');
  });
  it('control: content after the <body> tag does not move the banner', () => {
    expect(before('<html><body>\r\nHi <div>x</div><body>')).toBe('<html><body>');
  });
  it('puts the banner block outside the element opened before <body>', () => {
    const out = disclaimHtml('<div style="height:0;overflow:hidden"><body></div><p>Pay</p>', banner);
    expect(out.indexOf('Outside mail')).toBeLessThan(out.indexOf('height:0'));
  });
  it('reads a long run of white space or head tags before the body in linear work', () => {
    const small = scanHtml(`${'<meta x>'.repeat(40_000)}<body>`).steps;
    const large = scanHtml(`${'<meta x>'.repeat(80_000)}<body>`).steps;
    expect(large).toBeLessThanOrEqual(2 * small + 1);
    const blank = `<html>${' '.repeat(4_000_000)}<body>`;
    expect(scanHtml(blank).bodyStart).toBe(blank.length);
  });
});
