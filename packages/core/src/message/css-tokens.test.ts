import { describe, expect, it } from 'vitest';
import { parseStylesheet } from './css-rules.js';
import { BAD_TOKEN, cssTokenText, escapesDecoded, matchingBrace, scanTo } from './css-tokens.js';
import { cssPlain, declarations } from './css-values.js';

// The class names of the rules a sheet hides something with (`display: none`).
const hiding = (css: string) =>
  parseStylesheet(css, 0)
    .filter((r) => r.decls.get('display')?.value === 'none')
    .flatMap((r) => r.selector.flatMap((c) => c.classes));

describe('cssTokenText: CSS Syntax 3 tokens', () => {
  it('reads no comment inside a string, a url token or after an escaped slash', () => {
    expect(cssTokenText('.a{content:"/*"}.h{}.b{content:"*/"}')).toBe('.a{content:"/*"}.h{}.b{content:"*/"}');
    expect(cssTokenText("a{b:'/*'}")).toBe('a{b:"/*"}');
    expect(cssTokenText('a{b:url(/*)}c{}/**/')).toBe('a{b:url("/*")}c{} ');
    expect(cssTokenText('.a\\/*b*/')).toBe('.a\\/*b*/');
    expect(cssTokenText('a/* "{ */b/* unclosed')).toBe('a b ');
  });
  it('ends a string at a line break as a bad string; an escaped line break continues it', () => {
    expect(cssTokenText('a{x:"b\n}c{}')).toBe(`a{x:${BAD_TOKEN}\n}c{}`);
    expect(cssTokenText('a{x:"b\\\nc}"}')).toBe('a{x:"bc}"}');
    expect(cssTokenText('a{x:"b\\"c"}')).toBe('a{x:"b\\22 c"}');
    expect(cssTokenText('a{x:"open')).toBe('a{x:"open"');
  });
  it('reads url tokens whole, a quote or space inside making them bad up to their )', () => {
    expect(cssTokenText('a{b:url( x{;} )}')).toBe('a{b:url("x{;}")}');
    expect(cssTokenText('a{b:url(x"y)}c{}')).toBe(`a{b:url(${BAD_TOKEN})}c{}`);
    expect(cssTokenText('a{b:url(x y\\)z)}c{}')).toBe(`a{b:url(${BAD_TOKEN})}c{}`);
    expect(cssTokenText('a{b:url("x")}')).toBe('a{b:url("x")}');
    expect(cssTokenText('a{b:\\75 rl(/*)}')).toBe('a{b:\\75 rl("/*")}');
    expect(cssTokenText('a{b:x\\75 rl(/*)}')).toBe('a{b:x\\75 rl( ');
    expect(cssTokenText('a{b:#url(x"y)}')).toBe('a{b:#url(x"y)}"');
  });
  it('drops <!-- and --> between a sheet’s rules only', () => {
    expect(cssTokenText('<!-- a{} -->', true)).toBe('  a{}  ');
    expect(cssTokenText('a{b:c<!--}', true)).toBe('a{b:c<!--}');
    expect(cssTokenText('<!-- a{}', false)).toBe('<!-- a{}');
  });
  it('gives its own text back unchanged', () => {
    const once = cssTokenText('a{x:"q\\"/*" y:url(a"b) z:url(c d) w:"e\n}', true);
    expect(cssTokenText(once, true)).toBe(once);
  });
});

describe('scanTo / matchingBrace: blocks as CSS reads them', () => {
  it('skips (…) and […] blocks and strings', () => {
    expect(scanTo(':is(a{}) b{', 0, '{;')).toBe(10);
    expect(scanTo('[x="{"] b;', 0, '{;')).toBe(9);
    expect(matchingBrace('{x:f(})}y', 0)).toBe(7);
    expect(matchingBrace('{x:[}]}', 0)).toBe(6);
    expect(matchingBrace('{x:"}"}', 0)).toBe(6);
    expect(matchingBrace('{x:f(', 0)).toBe(-1);
  });
});

describe('escapesDecoded / declarations: escapes that would change the structure stay escaped', () => {
  it('keeps \\; outside strings and \\" inside them', () => {
    expect(escapesDecoded('x:a\\3b b;d:\\6e one')).toBe('x:a\\;b;d:none');
    expect(escapesDecoded('x:"a\\22 b"')).toBe('x:"a\\"b"');
    expect([...declarations(cssPlain('display:none;x:a\\;display:inline'))]).toEqual([
      ['display', { value: 'none', important: false }],
      ['x', { value: 'a\\;display:inline', important: false }],
    ]);
    expect(declarations(cssPlain('content:"\\"";display:none')).get('display')?.value).toBe('none');
  });
  it('drops a declaration holding a bad string or url', () => {
    expect(declarations(cssPlain('display:none;display:"x\n;')).get('display')?.value).toBe('none');
    expect(declarations(cssPlain('display:none;display:url(a"b) block')).get('display')?.value).toBe('none');
  });
});

describe('parseStylesheet: a hiding rule after strings, comments and url tokens', () => {
  it.each([
    ['.a{content:"/*"}.h{display:none}.b{content:"*/"}'],
    ['.a{x:"\n}.h{display:none}'],
    ['.a{background:url(/*)}.h{display:none}.b{background:url(*/)}'],
    ['.a{background:url(x"y)}.h{display:none}'],
    ['<!-- .h{display:none} -->'],
    ['.a{x:f(})}.h{display:none}'],
    ['.a:is(x{}) .h, .h{display:none}'],
  ])('%j', (css) => {
    expect(hiding(css)).toContain('h');
  });
  it('reads none inside a string, a comment or a block left open in (…)', () => {
    expect(hiding('.a{content:"} .h{display:none}"} /* .h{display:none} */')).toEqual([]);
    expect(hiding('.a{x:f({)}.h{display:none}')).toEqual([]);
  });
});
