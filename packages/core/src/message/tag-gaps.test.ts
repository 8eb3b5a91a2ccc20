import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-text.js';
import { tagLeavesGap, tagNameAt } from './tag-gaps.js';
import { xmlShownTexts } from './xml-shown.js';

describe('tagLeavesGap: which tags keep the text around them apart', () => {
  it('knows HTML blocks, cells, breaks and images from inline and unknown elements', () => {
    for (const name of ['td', 'TR', 'div', 'p', 'br', 'img', 'li', 'input'])
      expect(tagLeavesGap(name), name).toBe(true);
    for (const name of ['b', 'SPAN', 'a', 'font', 'x-cell']) expect(tagLeavesGap(name), name).toBe(false);
    // Elements that draw nothing leave no gap (attacker round 10: `4111 1111 1111 11<meta>11`).
    for (const name of ['meta', 'audio', 'link', 'source', 'rp'])
      expect(tagLeavesGap(name), name).toBe(false);
  });

  it('keeps Office paragraphs, cells, tabs and breaks apart and runs together', () => {
    for (const name of ['w:p', 'w:tc', 'w:tab', 'w:br', 'text:p', 'text:s', 'a:p'])
      expect(tagLeavesGap(name), name).toBe(true);
    for (const name of ['w:r', 'w:t', 'w:rPr', 'w:proofErr', 'text:span'])
      expect(tagLeavesGap(name), name).toBe(false);
  });

  it('reads the name of an opening or closing tag as written', () => {
    expect(tagNameAt('x<w:t xml:space="preserve">', 1)).toBe('w:t');
    expect(tagNameAt('</TD>', 0)).toBe('TD');
    expect(tagNameAt('<br/>', 0)).toBe('br');
    expect(tagNameAt(`<${'a'.repeat(500)}>`, 0)).toHaveLength(65);
  });

  it('reads a number Word splits into runs whole, in the full text and as Word shows it', () => {
    const xml =
      '<w:p><w:r><w:t>Card 41</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>11 1111 11</w:t></w:r>' +
      '<w:r><w:rPr><w:b/></w:rPr><w:t>11 1111</w:t></w:r></w:p><w:p><w:r><w:t>next</w:t></w:r></w:p>';
    expect(htmlToText(xml)).toContain('Card 4111 1111 1111 1111 ');
    for (const text of xmlShownTexts(xml)) expect(text).toContain('Card 4111 1111 1111 1111 ');
    expect(htmlToText(xml)).not.toContain('1111next');
  });
});
