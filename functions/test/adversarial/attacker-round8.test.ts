import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 8 (session 15): the gaps round 7 left open. A card the reader sees whole behind text the
// page hides, groups joined by a bar or glued to a letter, an inline PGP message, a title glued to a
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
  'groups joined by bars': text('card 4111|1111|1111|1111 thanks'),
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

  it('sends what the reader sees is no card: a visible letter between the groups, a table of small numbers', async () => {
    expect(await kit.outbound(hiding('<span>x</span>'))).toBe('DEFAULT');
    expect(await kit.outbound(text('| 4111 | 1111 | 1111 | 1111 |'))).toBe('DEFAULT');
    expect(await kit.outbound(docx(WORD_RUNS(run('4111 1111') + run('x') + run('1111 1111'))))).toBe(
      'DEFAULT',
    );
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
