import { describe, expect, it } from 'vitest';
import { encodeJis, encodeLegacy } from './test-support/legacy-charsets.js';
import { markupVerdict as scan } from './test-support/markup-verdict.js';

// Attacker round on the page scan (s11), encodings first: each page here ran its script in Chromium 156
// (declared ISO-2022-JP, Shift_JIS, Big5, GBK or gb18030) while the scan let it through.

const JIS = '<meta charset="iso-2022-jp">';
/** `<script>` with an ASCII escape inside its name: a script only once decoded. */
const SCRIPT = '<scr\x1b(Bipt>go()</script>';
const DECODED = /^a <script> element, once decoded as ISO-2022-JP/;
const SVG = 'xmlns="http://www.w3.org/2000/svg"';

describe('MarkupScan: attacker round s11, ISO-2022-JP as browsers decode it', () => {
  it('writes U+FFFD where the WHATWG decoder does, which keeps `<!-` and `-` apart (a bogus comment, not a comment)', () => {
    // Browsers end `<!-�- x>` at its `>`: the script after it runs. A reading that drops the escape opens a
    // comment there and never sees the script; the bytes' reading sees no script (the escape splits its name).
    expect(scan(`${JIS}<!-\x1b(B\x1b(B- x>${SCRIPT}`)).toMatch(DECODED); // two escapes in a row
    expect(scan(`${JIS}<!-\x1b- x>${SCRIPT}`)).toMatch(DECODED); // an escape the decoder does not know
    expect(scan(`${JIS}<!-\x1b$Bx\x1b(B- x>${SCRIPT}`)).toMatch(DECODED); // half a kanji cut by an escape
    expect(scan(`${JIS}<!-\x1b$A- x>${SCRIPT}`)).toMatch(DECODED); // ESC $ A is no ISO-2022-JP escape
  });

  it('keeps a comment open past `--ESC>`, which browsers read as `--�>`', () => {
    expect(scan(`${JIS}<!-- x --\x1b> <a title=' --> ${SCRIPT} '>`)).toMatch(DECODED);
  });

  it('keeps a kanji or katakana run across a line break, as the WHATWG decoder does', () => {
    // `<a title='` is five kanji to the browser, so the quote the other readings enter hides nothing from it.
    expect(scan(`${JIS}\x1b$B\n<a title='\x1b(B${SCRIPT}'>`)).toMatch(DECODED);
    expect(scan(`${JIS}\x1b(I\n<a title='\x1b(B${SCRIPT}'>`)).toMatch(DECODED);
    expect(scan(`${JIS}\x1b$@\r\n<a title='\x1b(B${SCRIPT}'>`)).toMatch(DECODED);
  });

  it('still joins where older decoders end a kanji run at a line break', () => {
    expect(scan(`${JIS}\x1b$B\n<scr\x1b(Bipt>go()</script>`)).toMatch(DECODED);
  });

  it('lets genuine ISO-2022-JP pages through: kanji, Roman and katakana runs, every line ending in ASCII', () => {
    const lines = ['お知らせ', '東京都千代田区', 'ご注文ありがとうございます。'];
    const body = lines.map((line) => `<p title="${line}">${line}</p>`).join('\r\n');
    const page = Buffer.concat([
      Buffer.from(`<html><head>${JIS}<title>`),
      encodeJis('請求書'),
      Buffer.from('</title></head><body>\r\n'),
      encodeJis(body),
      Buffer.from('\r\n<p>\x1b(J\\100\x1b(B \x1b(I12345\x1b(B</p></body></html>', 'latin1'),
    ]);
    expect(new TextDecoder('iso-2022-jp').decode(page)).toContain('ご注文ありがとうございます。');
    expect(scan(page)).toBeUndefined();
  });
});

describe('MarkupScan: attacker round s11, multi-byte charsets swallowing an ASCII byte', () => {
  // Shift_JIS, Big5, GBK and gb18030 read a byte of 0x40–0x7E after a lead byte as the second half of one
  // character: `\x81]]>` is no end of a CDATA section to them, and SVG or MathML inside HTML reads on.
  const cases: [string, string][] = [
    ['shift_jis', '\x81'],
    ['big5', '\xa4'],
    ['gbk', '\x81'],
    ['gb18030', '\x81'],
  ];
  for (const [charset, lead] of cases) {
    it(`reads a CDATA section on past \\x..]]> in ${charset}`, () => {
      expect(new TextDecoder(charset).decode(Buffer.from(`${lead}]]>`, 'latin1'))).not.toContain(']]>');
      expect(
        scan(`<meta charset="${charset}"><svg><![CDATA[${lead}]]> <a title=']]><script>go()</script>'>`),
      ).toMatch(/a CDATA section which HTML ends at its first ">" and XML does not/);
      expect(
        scan(
          `<?xml version="1.0" encoding="${charset}"?><svg ${SVG}><![CDATA[${lead}]]><x y=']]><script>go()</script>'</svg>`,
        ),
      ).toMatch(/a CDATA section/);
    });
  }

  it('lets genuine pages through in UTF-8, Shift_JIS, EUC-JP, GBK, Big5 and EUC-KR', () => {
    // Shift_JIS ソ, 表 and 能 end in 0x5C (`\`); 十 ends in 0x5C in Big5; many end in 0x5D (`]`) or letters.
    const texts: [string, string][] = [
      ['shift_jis', 'ソフト表示能力のお知らせ〔十〕'],
      ['euc-jp', 'ソフト表示能力のお知らせ'],
      ['gbk', '发票：软件许可证续订'],
      ['big5', '十大功能表，軟體許可'],
      ['euc-kr', '청구서 안내'],
    ];
    for (const [charset, text] of texts) {
      const page = Buffer.concat([
        Buffer.from(`<html><head><meta charset="${charset}"><title>`),
        encodeLegacy(charset, text),
        Buffer.from('</title></head><body><p title="'),
        encodeLegacy(charset, text),
        Buffer.from(`"><a href="https://shop.example/?q=1&amp;r=2">`),
        encodeLegacy(charset, text),
        Buffer.from(`</a></p><svg ${SVG}><title><![CDATA[`),
        encodeLegacy(charset, text),
        Buffer.from(']]></title></svg></body></html>'),
      ]);
      expect(new TextDecoder(charset).decode(page)).toContain(text);
      expect(scan(page)).toBeUndefined();
    }
    const utf8 = `<html><head><meta charset="utf-8"><title>請求書 — ソ表</title></head><body><p title="ソ表]">Ünïcödé ]]> ok</p></body></html>`;
    expect(scan(Buffer.from(utf8, 'utf8'))).toBeUndefined();
  });
});

describe('MarkupTokenizer: attacker round s11, tag and attribute names as the HTML tokenizer reads them', () => {
  const RUN = '<script>go()</script>';

  it('reads a tag name on to white space, / or > (`<p!x=`, `<p<!--` are names, not an attribute or a comment)', () => {
    expect(scan(`<p!x='>${RUN}'>`)).toBe('a <script> element');
    expect(scan(`</p!x='>${RUN}'>`)).toBe('a <script> element');
    expect(scan('<p<!--</style><img src=x onerror=go()>')).toBe('an onerror attribute');
    // `<!x` and `<?x` are bogus comments, ended by their first `>`, whatever `<` they hold.
    expect(scan('<!x<!-- x><img src=x onerror=go()>')).toBe('an onerror attribute');
    expect(scan('<?x<!-- x><img src=x onerror=go()>')).toBe('an onerror attribute');
  });

  it('reads `=` before an attribute name as the start of one, not a value (`<a =`…`>`)', () => {
    expect(scan(`<a ='>${RUN}'>`)).toBe('a <script> element');
    expect(scan(`<a/='>${RUN}'>`)).toBe('a <script> element');
    expect(scan(`<a x=1 ='>${RUN}'>`)).toBe('a <script> element');
    expect(scan(`<a x='1'='>${RUN}'>`)).toBe('a <script> element');
  });

  it('reads what follows `<_` or `<é` as HTML does, as text: a `<` there opens a tag', () => {
    expect(scan(`<_ <script>go()</script>`)).toBe('a <script> element');
    expect(scan(`<_ x=a${RUN}`)).toBe('a <script> element');
    expect(scan(`<_ x=${RUN}`)).toBe('a <script> element');
    expect(scan(`<p>\xc3\xa9</p><\xc3\xa9=/${RUN}`)).toBe('a <script> element');
    // The same, once ISO-2022-JP decodes `ESC(I <p` to katakana: `<` and U+FFFD read as `<é`.
    expect(scan(`<\x0e\x1b(I<p\x1b(B\x1b(B=/${RUN}`)).toMatch(/a <script> element/);
  });

  it('still reads genuine tags, attributes and XML names', () => {
    const page =
      '<p class=a id="b" data-x = \'c\' hidden><a href="https://shop.example/?a=1&amp;b=2" title=x/y>ok</a><br/><img src=logo.png alt=""/></p>';
    expect(scan(page)).toBeUndefined();
    expect(scan(`<svg ${SVG}><g><text x="1">Ünïcödé a < b, c <é d, 3 <4</text></g></svg>`)).toBeUndefined();
    expect(
      scan(`<svg ${SVG}><svg:script xmlns:svg="http://www.w3.org/2000/svg">go()</svg:script></svg>`),
    ).toBe('a <script> element');
  });
});

describe('MarkupScan: attacker round s11, XML entities written out in attribute values', () => {
  const doc = (entities: string, body: string) =>
    `<?xml version="1.0"?><!DOCTYPE svg [${entities}]><svg ${SVG} xmlns:xlink="http://www.w3.org/1999/xlink">${body}</svg>`;

  it('reads a declared entity where it is referenced: a javascript: link, split or not, runs when clicked', () => {
    expect(scan(doc('<!ENTITY js "javascript:go()">', '<a xlink:href="&js;"><text>Play</text></a>'))).toBe(
      'a script: URL in an attribute',
    );
    expect(
      scan(doc('<!ENTITY a "javas"><!ENTITY b "cript:go()">', '<a href="&a;&b;"><text>x</text></a>')),
    ).toBe('a script: URL in an attribute');
    expect(scan(doc(`<!ENTITY j.s 'JavaScript:go()'>`, '<a href="&j.s;">x</a>'))).toBe(
      'a script: URL in an attribute',
    );
    const long = 'e'.repeat(40);
    expect(scan(doc(`<!ENTITY ${long} "javascript:go()">`, `<a href="&${long};">x</a>`))).toBe(
      'a script: URL in an attribute',
    );
    expect(scan(doc('<!ENTITY d "data:text/html,x">', '<a href="&d;">x</a>'))).toBe(
      'a data:text/html URL in an attribute',
    );
    expect(scan(doc('<!ENTITY on "onclick">', '<a><set attributeName="&on;" to="go()"/></a>'))).toBe(
      'an animation of the onclick attribute',
    );
    const xhtml = `<!DOCTYPE html [<!ENTITY r "refresh">]><html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="&r;" content="0;url=https://evil.example"/></head></html>`;
    expect(scan(xhtml)).toBe('a <meta> refresh');
  });

  it('refuses a reference to an entity it cannot tell: names apart only by case, too long a text, too many', () => {
    expect(scan(doc('<!ENTITY JS "javascript:go()"><!ENTITY js "x">', '<a href="&js;">x</a>'))).toMatch(
      /whose declared text the scan cannot read/,
    );
    expect(scan(doc(`<!ENTITY big "${'x'.repeat(600)}">`, '<a href="&big;">x</a>'))).toMatch(/cannot read/);
    const many = Array.from({ length: 70 }, (_, i) => `<!ENTITY e${i} "x">`).join('');
    expect(scan(doc(many, '<a href="&e69;">x</a>'))).toMatch(/cannot read/);
  });

  it('lets an Illustrator SVG through, whose entities name namespaces and styles', () => {
    const illustrator = doc(
      '<!ENTITY ns_svg "http://www.w3.org/2000/svg"><!ENTITY ns_xlink "http://www.w3.org/1999/xlink"><!ENTITY st0 "fill:#FFFFFF;stroke:#000000;"><!ENTITY st1 "fill:none;">',
      '<g xmlns:x="&ns_xlink;"><path style="&st0;" d="M0 0L10 10"/><rect style="&st1;" width="4" height="4"/><text title="caf&amp;&lt;">x</text></g>',
    );
    expect(scan(illustrator)).toBeUndefined();
  });
});

describe('MarkupScan: entity text written out is bounded', () => {
  it('reads at most 4 MiB of declared entity text in values, then refuses', () => {
    const text = 'x'.repeat(500);
    const references = '&t;'.repeat(9000); // 4.5 MB written out from 27 kB
    const page = `<!DOCTYPE svg [<!ENTITY t "${text}">]><svg ${SVG}><g class="${references}"/></svg>`;
    expect(scan(page)).toBe('more entity text in attribute values than the scan reads');
    expect(scan(page.replace('&t;'.repeat(9000), '&t;'.repeat(8000)))).toBeUndefined();
  });
});

describe('MarkupScan: attacker round s11, attribute defaults an <!ATTLIST> declares', () => {
  const doc = (subset: string, body = '<rect width="9" height="9"/>') =>
    `<!DOCTYPE svg [${subset}]><svg ${SVG}>${body}</svg>`;

  it('reads each default as an attribute written on its element (an onload the DTD gives the root ran unclicked)', () => {
    expect(scan(doc('<!ATTLIST svg onload CDATA "go()">'))).toBe('an onload attribute');
    expect(scan(doc('<!ATTLIST svg width CDATA "1" onload CDATA #FIXED "go()">'))).toBe(
      'an onload attribute',
    );
    expect(scan(`<!ATTLIST svg onload CDATA "go()"><svg ${SVG}/>`)).toBe('an onload attribute');
    expect(scan(doc(`<!ATTLIST a href CDATA 'javascript:go()'>`, '<a><text>x</text></a>'))).toBe(
      'a script: URL in an attribute',
    );
    expect(scan(doc('<!ATTLIST a t (x|y) "x" href CDATA "data:,MZ">', '<a download="x.exe">x</a>'))).toMatch(
      /a data: link/,
    );
    expect(scan(doc('<!ENTITY js "javascript:go()"><!ATTLIST a href CDATA "&js;">'))).toBe(
      'a script: URL in an attribute',
    );
  });

  it('lets namespace and xml:space defaults through', () => {
    const subset =
      '<!ATTLIST svg xmlns:xlink CDATA #FIXED "http://www.w3.org/1999/xlink" xml:space (default|preserve) #FIXED "preserve" version CDATA #IMPLIED>';
    expect(scan(doc(subset))).toBeUndefined();
  });
});
