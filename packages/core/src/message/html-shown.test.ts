import { describe, expect, it } from 'vitest';
import { cssPlain, declarationsHide, hidingRules } from './html-hiding.js';
import { htmlToShownFullText } from './html-references.js';
import { htmlToText } from './html-text.js';

// The reader sees `4111 1111` whole; the letter between the groups is hidden from them.
const HIDDEN_LETTER: Record<string, string> = {
  'display:none': '4111 <span style="display:none">x</span>1111',
  'visibility:hidden': '4111 <span style="visibility: hidden">x</span>1111',
  'font-size:0': '4111 <span style="font-size:0px">x</span>1111',
  'a 1px font': '4111 <span style="font-size: 1px">x</span>1111',
  'mso-hide:all': '4111 <span style="mso-hide:all">x</span>1111',
  'opacity:0': '4111 <span style="opacity:0.0">x</span>1111',
  'white text': '4111 <span style="color:#FFF">x</span>1111',
  'white text in rgb() with spaces': '4111 <span style="color: rgb(255 255 255)">x</span>1111',
  'transparent text': '4111 <span style="color:transparent">x</span>1111',
  '<font color=white>': '4111 <font color="white">x</font>1111',
  'max-height:0': '4111 <div style="max-height:0;overflow:hidden">x</div>1111',
  'off-screen': '4111 <span style="position:absolute;left:-9999px">x</span>1111',
  'the hidden attribute': '4111 <span hidden>x</span>1111',
  'a class hidden by a <style> block after it':
    '4111 <b class="a h">x</b>1111<style>.h{display:none}</style>',
  'an id hidden inside @media': '<style>@media screen { #q { mso-hide: all } }</style>4111 <b id=Q>x</b>1111',
  'a CSS escape in the property': '4111 <span style="disp\\lay:none">x</span>1111',
  'a hex CSS escape': '4111 <span style="\\64 isplay:none">x</span>1111',
  'a CSS comment in the value': '4111 <span style="display:/**/none">x</span>1111',
  'a character reference in the style': '4111 <span style="display&colon;none">x</span>1111',
  'a quoted > before the style': '4111 <span title="a>b" style="display:none">x</span>1111',
  '/> on an HTML element (which stays open)': '4111 <span style="display:none"/>x</span>1111',
  'a script': '4111 <script>x</script>1111',
  'an end tag inside a hidden <style>': '4111 <span style="display:none"><style></span></style>x</span>1111',
  "Word's <w:vanish/>":
    '<w:r><w:t>4111 </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r><w:r><w:t>1111</w:t></w:r>',
};

describe('htmlToShownFullText', () => {
  for (const [name, html] of Object.entries(HIDDEN_LETTER)) {
    it(`leaves out text hidden by ${name}`, () => {
      expect(htmlToShownFullText(html).replace(/\s+/g, ' ').trim()).toBe('4111 1111');
      // The full reading keeps it: both readings are matched.
      expect(htmlToText(html)).toMatch(/x/);
    });
  }

  it('keeps what is shown: an ordinary page, a visible class, a run without vanish', () => {
    expect(htmlToShownFullText('<p>visible <b style="color:#333">text</b></p>').replace(/\s+/g, ' ')).toBe(
      ' visible text ',
    );
    expect(htmlToShownFullText('<style>.h{color:red}</style><b class=h>shown</b>')).toMatch(/shown/);
    expect(
      htmlToShownFullText('<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>shown</w:t></w:r>'),
    ).toMatch(/shown/);
    expect(htmlToShownFullText('<textarea>typed</textarea> <input value="4111">')).toMatch(/typed.*4111/);
  });

  it('closes as a browser does: an end tag does not close across a block opened inside, and is ignored when unmatched', () => {
    // `</span>` cannot close the hidden span across the div: y and z stay hidden.
    expect(
      htmlToShownFullText('a <span style=display:none><div>x</span>y</div>z</span> b').replace(/\s+/g, ''),
    ).toBe('ab');
    // An end tag with nothing to close changes nothing.
    expect(htmlToShownFullText('a <span hidden>x</i>y</span> b').replace(/\s+/g, '')).toBe('ab');
    // An inline end tag closes the elements opened inside it.
    expect(htmlToShownFullText('<b>a <span hidden>x</b>y').replace(/\s+/g, '')).toBe('ay');
  });

  it('stops at a tag that never ends, as a browser shows nothing after it', () => {
    expect(htmlToShownFullText('4111 <span title="x>1111').trim()).toBe('4111');
  });
});

describe('CSS hiding rules', () => {
  it('reads declarations as the CSS parser does', () => {
    expect(cssPlain('Display : None /* x */ !important')).toBe('display:none!important');
    expect(declarationsHide(cssPlain('color: #333; font-size: 12px'))).toBe(false);
    expect(declarationsHide(cssPlain('font: 0/0 a'))).toBe(true);
    expect(declarationsHide(cssPlain('transform: scale(0)'))).toBe(true);
    expect(declarationsHide(cssPlain('opacity: 1'))).toBe(false);
  });

  it('collects classes, ids and element names from every <style> block, an unclosed one too', () => {
    const rules = hidingRules(
      '<style>.a, #b { display:none } p { color: red }</style><style>span{visibility:hidden',
    );
    expect([...rules.classes]).toEqual(['a']);
    expect([...rules.ids]).toEqual(['b']);
    expect(rules.tags.has('span')).toBe(true);
    expect(rules.tags.has('p')).toBe(false);
  });
});
