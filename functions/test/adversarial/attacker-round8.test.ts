import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 8 (session 15): the gaps round 7 left open. A card the reader sees whole behind text the
// page hides, groups glued to a letter, an inline PGP message, a title glued to a
// protected name. Each got past outbound-policy or the guard at their defaults before this round.

const stack = useLocalStack();
const kit = attackerKit(stack);

const FROM_BOB = 'From: Bob <bob@corp.example>';
const CARD = '4111 1111 1111 1111';
const html = (body: string) => mail([FROM_BOB, 'Content-Type: text/html; charset=utf-8'], body);
const text = (body: string) => mail([FROM_BOB, 'Content-Type: text/plain; charset=utf-8'], body);
// The card with `hidden` between its second and third groups.
const hiding = (hidden: string, page = '') => html(`${page}<p>4111 1111${hidden}1111 1111</p>`);

const WORD_RUNS = (runs: string) =>
  `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${runs}</w:p></w:body></w:document>`;
const run = (t: string, hidden = false) =>
  `<w:r>${hidden ? '<w:rPr><w:vanish/></w:rPr>' : ''}<w:t xml:space="preserve">${t}</w:t></w:r>`;
const docx = (xml: string) => {
  const file = zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'word/document.xml', data: xml },
  ]).toString('base64');
  const type = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  return mail(
    [FROM_BOB, MIXED],
    withPart(
      `Content-Type: ${type}; name="report.docx"\r\nContent-Disposition: attachment; filename="report.docx"\r\nContent-Transfer-Encoding: base64\r\n\r\n${file}`,
    ),
  );
};

const CARDS: Record<string, Buffer> = {
  'a letter hidden by display:none': hiding('<span style="display:none">x</span>'),
  'a letter in a zero font size': hiding('<span style="font-size:0px">x</span>'),
  'a letter hidden from Outlook (mso-hide:all)': hiding('<span style="mso-hide:all">x</span>'),
  'a letter in white on white': hiding('<font color="#ffffff">x</font>'),
  'a letter in a class a <style> block hides': hiding(
    '<b class="n">x</b>',
    '<style>.n { display: none }</style>',
  ),
  'a letter hidden by a CSS-escaped property': hiding('<span style="\\64 isplay:none">x</span>'),
  'a quoted > that the tag reader took for its end': hiding(
    '<span title="a>b" style="display:none">x</span>',
  ),
  'a script between the groups': hiding('<script>var x = 1;</script>'),
  'a hidden run in a Word document': docx(WORD_RUNS(run('4111 1111') + run('x', true) + run('1111 1111'))),
  'a grouped number glued to the expiry': text(`card ${CARD}exp12/29`),
  'a grouped number glued to a label': text('cc4111-1111-1111-1111'),
  'an inline PGP message': text(
    'See below.\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA5nbGQ2Y0cO7AQf/Xl1P\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n',
  ),
};

describe('attacker round 8: card numbers through outbound-policy at its defaults', () => {
  for (const [name, message] of Object.entries(CARDS)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends what the reader sees is no card: a letter written between the groups, a table of small numbers', async () => {
    expect(await kit.outbound(html('<p>4111 1111 x 1111 1111</p>'))).toBe('DEFAULT');
    // A card's four groups in a Markdown row's cells read as the card, as in an HTML table's (attacker round 71:
    // `| 4111 | 1111 | 1111 | 1111 |` bounces); a table of small numbers does not.
    expect(
      await kit.outbound(text('| 25 | 13 | 8 | 4 | 50 | 11 | 39 | 47 |\r\n| 1234 | 5678 | 9012 | 3456 |')),
    ).toBe('DEFAULT');
    expect(await kit.outbound(docx(WORD_RUNS(run('4111 1111 x 1111 1111'))))).toBe('DEFAULT');
  });

  it('bounces a short word hidden by a style no reader models, or in a Word deletion, between the groups (the snippet reading)', async () => {
    expect(
      await kit.outbound(
        hiding('<span style="-webkit-mask-image:linear-gradient(transparent,transparent)">x</span>'),
      ),
    ).toBe('BOUNCE');
    const deleted = '<w:del><w:r><w:delText>x</w:delText></w:r></w:del>';
    expect(await kit.outbound(docx(WORD_RUNS(run('4111 1111') + deleted + run('1111 1111'))))).toBe('BOUNCE');
  });

  it('sends a short word in a plain or ordinarily styled element between the groups (no style hides it)', async () => {
    expect(await kit.outbound(hiding('<span>x</span>'))).toBe('DEFAULT');
    const bold = '<w:r><w:rPr><w:b/><w:rtl/><w:lang w:val="he-IL"/></w:rPr><w:t>x</w:t></w:r>';
    expect(await kit.outbound(docx(WORD_RUNS(run('4111 1111') + bold + run('1111 1111'))))).toBe('DEFAULT');
  });

  it('sends invoices, timesheets and prose whose labels sit between numbers (the snippet reading keeps cells and prose apart)', async () => {
    const rows = [
      ['SKU 5000', 'Pen', '3', '€', '1.20', '€', '3.60'],
      ['SKU 5012', 'Ink', '4', '€', '9.00', '€', '36.00'],
      ['SKU 6011', 'Pad', '2', '€', '0.99', '€', '1.98'],
    ];
    const invoice = `<table>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
    expect(await kit.outbound(html(invoice))).toBe('DEFAULT');
    expect(
      await kit.outbound(html('<p>Your order <b>5000</b> of <b>3</b> items ships on <b>15/03/2024</b>.</p>')),
    ).toBe('DEFAULT');
    const timesheet = docx(
      WORD_RUNS(
        ['Mon', '5012', 'Project', '6011', '7', 'h'].map((t) => `<w:r><w:t>${t}</w:t></w:r>`).join(''),
      ),
    );
    expect(await kit.outbound(timesheet)).toBe('DEFAULT');
  });

  it('sends an inline PGP message when encrypted content is allowed', async () => {
    expect(
      await kit.outbound(CARDS['an inline PGP message'] as Buffer, { ALLOW_ENCRYPTED_ARCHIVES: 'true' }),
    ).toBe('DEFAULT');
  });
});

describe('attacker round 8: a title or a number glued to a protected name, through the guard', () => {
  const junked = async (from: string) => {
    const message = mail([from, 'Content-Type: text/plain'], 'Please pay today.');
    return (await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe, Jane Smith' })).verdict;
  };

  for (const from of [
    'From: Jane DoeCEO <ceo@evil.example>',
    'From: CFOJane Doe <cfo@evil.example>',
    'From: Jane Doe2026 <jd@evil.example>',
  ]) {
    it(`junks ${from}`, async () => {
      expect(await junked(from)).toBe('MOVE_TO_JUNK');
    });
  }

  it('delivers a name that only starts like a protected one (Jane Doerr)', async () => {
    expect(await junked('From: Jane Doerr <jd@partner.example>')).toBe('DEFAULT');
  });
});

describe('attacker round 8: a page in a multipart/related that the root does not reference, through the guard', () => {
  const related = (second: string) =>
    mail(
      ['From: Accounts <accounts@partner.example>', 'Content-Type: multipart/related; boundary="r"'],
      [
        '--r',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Your invoice is attached.</p>',
        '--r',
        'Content-Type: text/html; charset=utf-8',
        '',
        second,
        '--r--',
        '',
      ].join('\r\n'),
    );

  it('bounces a second HTML part with a script (clients list it as a file and open it in the browser)', async () => {
    const message = related(
      '<html><body><script>location="https://evil.example/login"</script></body></html>',
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });

  it('delivers a second HTML part that is a static page', async () => {
    expect((await kit.inbound(related('<p>Terms and conditions.</p>'))).verdict).toBe('DEFAULT');
  });
});

// Round 8b: a second attacker went at the first shown reading. It hid too much (a card in white on a dark
// block, in a phone-only class), missed markup browsers build otherwise (a reopened <b>, foster-parented
// text, Outlook's conditional comments), CSS it did not evaluate (calc, var, transforms, filters), Word
// runs hidden after other properties, more joiners, armored messages and glued titles.
const X = '<span style="display:none">x</span>';
const CARDS_8B: Record<string, Buffer> = {
  'a card in white on a dark block, a letter hidden in it': html(
    `<div style="background:#222;color:#fff">4111 1111${X} 1111 1111</div>`,
  ),
  'a card in a class only phones hide': html(
    `<style>@media (max-width:480px){.desktop{display:none}}</style><div class="desktop">4111 1111${X} 1111 1111</div>`,
  ),
  'a letter in a <b> the parser reopens after </span>': html(
    '<span>4111 1111<b style="display:none"></span>x</b> 1111 1111</span>',
  ),
  'a letter the table moves out of the row': html(
    '<table><tr><td>4111 1111&nbsp;</td>x<td>1111 1111</td></tr></table>',
  ),
  'a card only Outlook shows': html('<!--[if mso]><p>4111 1111 1111 1111</p><![endif]-->'),
  'a letter in a zero calc() font size': hiding('<span style="font-size:calc(0px)">x</span>'),
  'a letter moved away by translateX': hiding(
    '<span style="display:inline-block;transform:translateX(-9999px)">x</span>',
  ),
  'a letter in a hidden Word run after three other properties': docx(
    WORD_RUNS(
      run('4111 1111') +
        '<w:r><w:rPr><w:rFonts w:ascii="Arial"/><w:b/><w:i/><w:vanish/></w:rPr><w:t>x</w:t></w:r>' +
        run('1111 1111'),
    ),
  ),
  'a whole card glued to a label': text('PAN4111111111111111'),
  'groups joined by white bullets': text('4111\u25e61111\u25e61111\u25e61111'),
  'an age-encrypted file in the body': text(
    'Here:\r\n-----BEGIN AGE ENCRYPTED FILE-----\r\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBh\r\n-----END AGE ENCRYPTED FILE-----\r\n',
  ),
  'a PGP message written with &nbsp; in HTML': html(
    '<pre>-----BEGIN&nbsp;PGP MESSAGE-----\n\nhQEMA5nbGQ2Y0cO7AQf/Xl1PhQEMA5nbGQ2Y0cO7\n-----END PGP MESSAGE-----</pre>',
  ),
};

describe('attacker round 8b: card numbers through outbound-policy at its defaults', () => {
  for (const [name, message] of Object.entries(CARDS_8B)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends a report whose white row labels sit on a dark band, and prose that names the PGP armor lines', async () => {
    const report = html(
      '<table>' +
        ['Week 48', 'Week 49', 'Week 50', 'Week 51']
          .map(
            (w, i) =>
              `<tr><td style="background:#003;color:#fff">${w}</td><td>${['5970', '2992', '5422', '9870'][i]}</td></tr>`,
          )
          .join('') +
        '</table>',
    );
    expect(await kit.outbound(report)).toBe('DEFAULT');
    const prose = text(
      'Paste the block from -----BEGIN PGP MESSAGE----- to -----END PGP MESSAGE----- in the form.',
    );
    expect(await kit.outbound(prose)).toBe('DEFAULT');
  });
});

describe('attacker round 8b: titles and numbers glued to a protected name, through the guard', () => {
  for (const from of [
    'From: Jane DoePhD <a@evil.example>',
    'From: DrJane Doe <a@evil.example>',
    'From: Jane Doe2 <a@evil.example>',
    'From: =?utf-8?B?SmFuZSBEb2XihKI=?= <a@evil.example>',
  ]) {
    it(`junks ${from}`, async () => {
      const message = mail([from, 'Content-Type: text/plain'], 'Please pay today.');
      expect((await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe, Jane Smith' })).verdict).toBe(
        'MOVE_TO_JUNK',
      );
    });
  }
});

// Round 8c: a third attacker hid the letter with CSS the cascade does not model (unknown pseudo-classes,
// min(), colours it cannot parse, an SVG <style>) or Word markup it did not know (another prefix, a tracked
// deletion), and wrote the number with CSS generated content. The snippet reading (short texts without a
// digit dropped wherever they stand) and the generated-content reading catch them without modelling the CSS.
const CARDS_8C: Record<string, Buffer> = {
  'a letter hidden by :read-only': hiding('<i class="j">x</i>', '<style>.j:read-only{display:none}</style>'),
  'a letter hidden by :has()': hiding('<i class="j"><b></b>x</i>', '<style>.j:has(b){display:none}</style>'),
  'a letter in a min() font size': hiding('<i style="font-size:min(0px,0px)">x</i>'),
  'a letter in a colour written color(srgb 1 1 1)': hiding('<i style="color:color(srgb 1 1 1)">x</i>'),
  'a letter hidden by a <style> inside inline SVG': hiding(
    '<i class="j">x</i>',
    '<svg width="0" height="0"><style>.j{display:none}</style></svg>',
  ),
  'a letter in a Word deletion under another namespace prefix': docx(
    '<?xml version="1.0"?><ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><ns0:body><ns0:p><ns0:r><ns0:t>4111 1111</ns0:t></ns0:r><ns0:del><ns0:r><ns0:delText>x</ns0:delText></ns0:r></ns0:del><ns0:r><ns0:t> 1111 1111</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>',
  ),
  'a card written by ::before content': html(
    '<style>.c::before{content:"4111 1111 " "1111 1111"}</style><span class="c"></span>',
  ),
  'a card written from attributes by attr()': html(
    '<style>.c::before{content:attr(data-a) attr(data-b)}</style><span class="c" data-a="4111 1111 " data-b="1111 1111"></span>',
  ),
};

describe('attacker round 8c: card numbers through outbound-policy at its defaults', () => {
  for (const [name, message] of Object.entries(CARDS_8C)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends a newsletter with an icon font stylesheet and numbered items', async () => {
    const icons = Array.from({ length: 60 }, (_, i) => `.i${i}::before{content:"\\f${100 + i}"}`).join('');
    const items = Array.from(
      { length: 40 },
      (_, i) => `<tr><td>Item ${i}</td><td>${1000 + i * 37}</td></tr>`,
    );
    expect(await kit.outbound(html(`<style>${icons}</style><table>${items.join('')}</table>`))).toBe(
      'DEFAULT',
    );
  });
});

// Round 8d: a fourth attacker showed the snippet reading joining the labels and amounts of invoices (now kept
// apart: cells and blocks, prose, unstyled Word runs), a card written backwards that right-to-left text turns
// round, a blank Braille cell between groups, a first letter hidden by ::first-letter, and digits hidden by
// CSS the cascade did not model yet.
const CARDS_8D: Record<string, Buffer> = {
  'a card written backwards inside a right-to-left override': text(
    'card \u202e1111 1111 1111 1114\u202c thanks',
  ),
  'a card turned by <bdo dir=rtl>': html('<p><bdo dir="rtl">1111 1111 1111 1114</bdo></p>'),
  'groups joined by blank Braille cells': text('4111\u28001111\u28001111\u28001111'),
  'a digit hidden by ::first-letter': html(
    '<style>.c::first-letter{font-size:0}</style><p class="c">94111 1111 1111 1111</p>',
  ),
  'a digit in a box no wider than its clip (inline-size)': hiding(
    '<span style="display:inline-block;inline-size:0;overflow:hidden">7</span>',
  ),
  'a digit zoomed to a speck': hiding('<span style="zoom:.02">7</span>'),
  'a digit blurred away': hiding('<span style="filter:blur(30px)">7</span>'),
  'a black digit inverted to white': hiding('<span style="filter:invert(1)">7</span>'),
};

describe('attacker round 8d: card numbers through outbound-policy at its defaults', () => {
  for (const [name, message] of Object.entries(CARDS_8D)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
});

// A false-positive hunt over 1,800 generated business messages found the first snippet reading, the colon
// and plus joiners and the right-to-left reversal of whole pages bouncing signatures, invites and RTL mail
// (a Saudi mobile number alone in 2.3 % of cases): these four each bounced before and are sent now.
describe('false positives the readings must not add', () => {
  const sent: Record<string, string> = {
    'an Arabic mail (dir=rtl) with a phone number': '<div dir="rtl"><p>للتواصل: +966 56 361 6874</p></div>',
    'a signature with T and M labels':
      '<p>Bob Jones<br><b>T</b> 07470 384262&nbsp; <b>M</b> 07927 559911</p>',
    'a Zoom invite': '<p><span>Meeting ID:</span> 941 5873 6726<br><span>Passcode:</span> 027089</p>',
    'a Hebrew signature with labels':
      '<div dir="rtl"><p>לבירורים: <span>טלפון</span> 08-6095350 <span>נייד</span> 058-2819652</p></div>',
    'a timetable': `<p>${['07:50', '08:20', '08:50', '09:20', '09:50', '10:20'].join(' ')}</p>`,
  };
  for (const [name, body] of Object.entries(sent)) {
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(html(body))).toBe('DEFAULT');
    });
  }
});
