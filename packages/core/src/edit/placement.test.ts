import { describe, expect, it } from 'vitest';
import { disclaimEnriched, disclaimHtml, disclaimPlain } from './body-edits.js';
import { metaCharsetToUtf8, scanHtml } from './html-scan.js';

const banner = { text: 'Outside mail', position: 'top' as const, dedupe: 'none' as const };

describe('edit: banner and disclaimer placement', () => {
  it('finds the body after characters that lower-case to two (İ), at positions in the HTML itself', () => {
    const html = `<html><head><title>${'İ'.repeat(20)}</title></head><body><!--x--><p>Hi</p></body></html>`;
    const { bodyStart } = scanHtml(html);
    expect(html.slice(0, bodyStart)).toMatch(/<body>$/);
  });
  it('never places the banner inside a comment, script, style or attribute', () => {
    const html =
      '<!-- <body> --><script>var s="<body>"</script><style>/* <body> */</style>' +
      '<body data-x="<body>" class="y"><p>Hi</p><!-- </body> --></body><script>"</body>"</script>';
    const out = disclaimHtml(html, banner);
    expect(out.indexOf('Outside mail')).toBeGreaterThan(html.indexOf('class="y">'));
    expect(out).toContain('class="y"><div style=');
    const bottom = disclaimHtml(html, { ...banner, position: 'bottom' });
    expect(bottom).toContain('<!-- </body> --><div style=');
  });

  it('uses inline styles and no class or id a sender stylesheet could target', () => {
    const out = disclaimHtml('<body><p>x</p></body>', banner);
    expect(out).not.toMatch(/class=|id=/);
    expect(out).toMatch(/display:block !important/);
  });

  it('adds the banner even when the body already contains its text (no text-based idempotency)', () => {
    expect(disclaimPlain('Outside mail\n\nhello', banner)).toBe('Outside mail\n\nOutside mail\n\nhello');
    expect(disclaimHtml('<body><p>Outside mail</p></body>', banner)).toMatch(
      /<div style=.*Outside mail.*Outside mail/,
    );
  });

  it('declares UTF-8 in meta tags of a re-encoded HTML part', () => {
    expect(metaCharsetToUtf8('<head><meta charset=windows-1252></head>')).toBe(
      '<head><meta charset=utf-8></head>',
    );
    expect(
      metaCharsetToUtf8(
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><!-- <meta charset=x> -->',
      ),
    ).toBe('<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><!-- <meta charset=x> -->');
  });

  it('scans hostile markup in linear work, and trims 220 KB of blank lines (counted, not timed)', () => {
    for (const unit of ['<body ', '<!--', '<a b="', '<script>', '</body', '<meta charset=x>']) {
      const small = scanHtml(unit.repeat(40_000)).steps;
      const large = scanHtml(unit.repeat(80_000)).steps;
      expect(large, unit).toBeLessThanOrEqual(2 * small + 1);
      expect(disclaimHtml(unit.repeat(80_000), banner).length).toBeGreaterThan(80_000);
    }
    const blank = `x${'\n'.repeat(220_000)}`;
    expect(disclaimPlain(blank, { ...banner, position: 'bottom' })).toBe('x\n\nOutside mail\n');
  });

  it('writes the banner in enriched text as each kind of it writes `<` and line breaks', () => {
    const note = { ...banner, text: 'Outside <mail>\nTake care' };
    expect(disclaimEnriched('<bold>Hi</bold>', note, false)).toBe(
      'Outside <<mail>\n\nTake care\n\n\n<bold>Hi</bold>',
    );
    expect(disclaimEnriched('<bold>Hi</bold>', note, true)).toBe(
      'Outside <lt>mail><nl>Take care<nl><nl>\n<bold>Hi</bold>',
    );
    expect(disclaimEnriched('Hi', { ...note, position: 'bottom' }, false)).toBe(
      'Hi\n\n\nOutside <<mail>\n\nTake care\n',
    );
  });
});
