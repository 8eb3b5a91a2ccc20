import { ConfigError, rule, when } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { subjectContains } from './index.js';
import { htmlToText, normalizeText } from './normalize.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { compileSafePattern } from './safe-regex.js';
import { textMatcher } from './text-matcher.js';

describe('content: normalisation', () => {
  it('folds width, case, invisible characters and whitespace; diacritics on request', () => {
    expect(normalizeText('ＵＲＧＥＮＴ  Wi\u200bre\tTRANSFER')).toBe('urgent wire transfer');
    expect(normalizeText('Straße')).toBe('strasse');
    expect(normalizeText('Café crème', { stripDiacritics: true })).toBe('cafe creme');
    expect(normalizeText('Café', {})).toBe('café');
    expect(normalizeText('A  B', { collapseWhitespace: false, caseFold: false })).toBe('A  B');
  });

  it('turns HTML into text in one pass, even unterminated', () => {
    // Inline tags and comments are laid out with their neighbours, as a browser shows them.
    expect(htmlToText('<p>Wire&nbsp;<b>now</b>&#33;<!-- x --></p>')).toBe(' Wire now! ');
    expect(htmlToText('urgent wi<b>re</b> trans<span>fer</span>')).toBe('urgent wire transfer');
    // A `<` that cannot open a tag is text (as a browser shows it): it must not hide what follows.
    expect(htmlToText(`${'<'.repeat(200_000)}tail`)).toBe('<'.repeat(199_999));
    expect(htmlToText('1 < 2, card 4111 1111 1111 1111')).toBe('1 < 2, card 4111 1111 1111 1111');
    expect(htmlToText(`${'<!--'.repeat(50_000)}`)).toBe('');
  });
});

describe('content: linear-time matchers', () => {
  it('finds whole words and phrases, not parts of words', () => {
    const m = new PhraseMatcher(['wire transfer', 'gift card', 'he'], { wholeWords: true });
    expect(m.find('please buy a gift card today')).toBe('gift card');
    expect(m.find('rewire transfers and gift cards')).toBeUndefined();
    expect(m.find('the hen')).toBeUndefined();
    expect(m.find('ask he')).toBe('he');
  });

  it('finds overlapping substrings through failure links', () => {
    const m = new PhraseMatcher(['abcd', 'bce', 'c']);
    expect(m.find('xxabcxe')).toBe('c');
    expect(new PhraseMatcher(['abcd', 'bce']).find('abce')).toBe('bce');
  });

  it('answers on hostile input built against naive matchers', () => {
    const text = `${'a'.repeat(1_000_000)}b`;
    const m = new PhraseMatcher([`${'a'.repeat(500)}c`, 'ab'], { wholeWords: true });
    expect(m.find(text)).toBeUndefined();
    expect(new PhraseMatcher(['aab']).find(text)).toBe('aab');
    expect(compileSafePattern('p', '(a|aa)*c').test(text)).toBe(false);
    expect(compileSafePattern('p', /(a+)+b$/).test(text)).toBe(true);
  });

  it('compiles patterns with flags and refuses ones without a linear-time engine', () => {
    expect(compileSafePattern('p', /invoice\s+#?\d{4,}/i).test('INVOICE #20931')).toBe(true);
    expect(() => compileSafePattern('patterns[1]', '(a+)\\1')).toThrow(/patterns\[1\].*linear-time/);
    expect(() => compileSafePattern('p', 'x(?=y)')).toThrow(ConfigError);
    expect(() => compileSafePattern('p', '(?<!x)y')).toThrow(ConfigError);
    expect(() => compileSafePattern('p', 'x'.repeat(3000))).toThrow(/longer than/);
    expect(() => compileSafePattern('p', '(x{1000}){1000}')).toThrow(ConfigError);
    expect(() => compileSafePattern('p', '')).toThrow(ConfigError);
  });

  it('combines words, substrings and patterns over normalised text', () => {
    const m = textMatcher({ words: ['Wire Transfer'], substrings: ['bit.ly/'], patterns: ['\\bswift\\b'] });
    expect(m.match('URGENT: wire\u00a0 transfer')).toBe('wire transfer');
    expect(m.match('see https://BIT.LY/x')).toBe('bit.ly/');
    expect(m.match('SWIFT code')).toBe('\\bswift\\b');
    expect(m.match('hello')).toBeUndefined();
    expect(() => textMatcher({})).toThrow(/at least one of words/);
    expect(() => textMatcher({ words: ['ok', 'bad\u0000'] })).toThrow(/options.words\[1\]/);
    expect(() => textMatcher({ patterns: 'x' as never })).toThrow(/options.patterns/);
  });
});

describe('condition: subjectContains (event subject)', () => {
  const hit = (options: Parameters<typeof subjectContains>[0], subject: string) =>
    runFlow(
      [
        when(
          subjectContains(options),
          rule('hit', (ctx) => ctx.note('hit')),
        ),
      ],
      { subject },
    ).then((r) => (r.outcome.rulesFired as string[]).includes('hit'));

  it('matches words in the subject and ignores others', async () => {
    expect(await hit({ words: ['gift cards'] }, 'Quick favour: GIFT   CARDS?')).toBe(true);
    expect(await hit({ words: ['gift cards'] }, 'Lunch?')).toBe(false);
  });

  it('refuses bad configuration', () => {
    expect(() => subjectContains({ patterns: ['(?=x)'] })).toThrow(ConfigError);
  });
});
