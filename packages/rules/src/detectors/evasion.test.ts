import { describe, expect, it } from 'vitest';
import { packageTable } from '../../scripts/confusable-letters.js';
import { canonicalReadings, canonicalText } from './canon.js';
import { findCardNumbers, type ScanWork, scanCards } from './card.js';
import { findIbans, scanIbans } from './iban.js';

const CARD = '4111111111111111';

describe('detectors: evasions of the card and IBAN finders', () => {
  it('finds cards grouped by any Unicode space, dash, dot or slash, and runs of them', () => {
    for (const sep of ['\u00a0', '  ', '.', '/', '\u2013', '\u2009', '\u3000', ' - ', '\u202f', '\uff0e']) {
      expect(findCardNumbers(['4111', '1111', '1111', '1111'].join(sep)), JSON.stringify(sep)).toEqual([
        CARD,
      ]);
    }
  });

  it('finds cards wrapped across lines, with zero-width characters, in full-width or other Unicode digits', () => {
    expect(findCardNumbers('card 4111 1111\r\n1111 1111 thanks')).toEqual([CARD]);
    expect(findCardNumbers('4111\u200b1111\u00ad1111\u20601111')).toEqual([CARD]);
    expect(
      findCardNumbers(
        '\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11',
      ),
    ).toEqual([CARD]);
    const arabic = [...CARD].map((d) => String.fromCodePoint(0x660 + Number(d))).join('');
    expect(findCardNumbers(arabic)).toEqual([CARD]);
    const maths = [...CARD].map((d) => String.fromCodePoint(0x1d7ec + Number(d))).join(''); // sans-serif bold
    expect(findCardNumbers(maths)).toEqual([CARD]);
  });

  it('still ignores a run of digits glued to words and groups split by long gaps', () => {
    expect(findCardNumbers('ref\u00e9411111111111\u00e9 and 12345x4111 1111 1111')).toEqual([]);
    // Bars, colons and pluses join groups only in a card's own layout (attacker round 71, where they are found): as
    // a whole run joined alike they join table columns, times and phone numbers (a false-positive hunt in session
    // 15 bounced 73 % of timetables when colons joined).
    expect(findCardNumbers('41:11:11:11:11:11:11:11 | 41 | 11 | 11 | 11 | 11 | 11 | 11 | 11 |')).toEqual([]);
    expect(findCardNumbers(`4111 1111${' '.repeat(10)}1111 1111`)).toEqual([]);
    expect(findCardNumbers('phone +44 20 7946 0958, order 2024-05-17/0042')).toEqual([]);
  });

  it('finds a grouped number a letter is glued to, and groups joined by bullets (attacker round 8)', () => {
    expect(findCardNumbers('ref\u00e9 4111 1111 1111 1111\u00e9')).toEqual([CARD]);
    expect(findCardNumbers('card 4111 1111 1111 1111exp12/29')).toEqual([CARD]);
    expect(findCardNumbers('cc4111-1111-1111-1111')).toEqual([CARD]);
    expect(findCardNumbers('4111\u25e61111\u25e61111\u25e61111')).toEqual([CARD]);
    // A whole card glued to letters (round 8b).
    expect(findCardNumbers('PAN4111111111111111 and 4111111111111111exp12/29')).toEqual([CARD, CARD]);
    expect(findCardNumbers('4111\u00001111\u00001111\u00001111')).toEqual([CARD]);
  });

  it('reads a longer run of groups as a card only in a card layout or joined one way throughout', () => {
    expect(findCardNumbers('paid 12.50 4111 1111 1111 1111 12/29 123')).toEqual([CARD]);
    expect(findCardNumbers('total 0.00 3782 822463 10005 0.00')).toEqual(['378282246310005']);
    expect(findCardNumbers('41 11 11 11 11 11 11 11')).toEqual([CARD]);
    expect(findCardNumbers('411-111-111-111-1111 and 41111111\n11111111')).toEqual([CARD, CARD]);
    expect(findCardNumbers('4111 1111 1111 1111 000')).toEqual([CARD]);
  });

  it('does not join table cells, log fields or phone columns into a card (false-positive hunt, session 16)', () => {
    // Each of these bounced: any consecutive groups adding up to 12–19 digits used to count.
    for (const text of [
      '13/06/2025 Standing order REF 641938 2517.84 82220.03 13/02/2025 Salary',
      '"GET /api/v1/orders/98611 HTTP/1.1" 404 66287 0.670 18.31.234.2 - - [11/Mar/2025:10:43:00 +0000]',
      'load average: 0.46, 0.91, 1.91 Mem: 5098 1935 10925 162 6186 8397',
      'DEBUG took 99 ms 334 38199 2025-03-10 11:33:24.419 INFO',
      'Alice Brown 8523 07213 368670 0161 906 4821 Erik Olsen',
      // An extension beside a phone number, joined one way but uneven.
      'Hana Sato 5668 07620 546303 +44 20 8282 4326',
      'Carlos Diaz 3003 0161 568 2308 +44 20 2289 4053',
      '\u05d3\u05e0\u05d9 579 03-1370797 052-7759758 \u05de\u05d9\u05db\u05dc',
    ]) {
      expect(findCardNumbers(text), text).toEqual([]);
    }
  });

  it('finds the cards people type: in fours at their length, with a slip of the space bar, wrapped with an indent (attacker round 9)', () => {
    const AMEX = '378282246310005';
    expect(findCardNumbers('Card details for the deposit: 3782 8224 6310 005 12/29 1234')).toEqual([AMEX]);
    expect(findCardNumbers('Charged 412.00 3782 8224 6310 005 on 12/03')).toEqual([AMEX]);
    expect(findCardNumbers('Diners 3056 9309 0259 04 12/29')).toEqual(['30569309025904']);
    expect(findCardNumbers('Amex: 378 2822 4631 0005')).toEqual([AMEX]);
    expect(findCardNumbers('My card for the registration fee: 4111 11111111 1111')).toEqual([CARD]);
    expect(findCardNumbers('Visa: 4111 1111 111 11111')).toEqual([CARD]);
    expect(findCardNumbers('the card on file is 4111 1111\n      1111 1111, please charge it')).toEqual([
      CARD,
    ]);
    // An uneven run counts only at its network's printed length: a 15-digit Maestro prefix does not.
    expect(findCardNumbers('5668 07620 546303')).toEqual([]);
  });

  it('reads IBAN groups run together in fours (attacker round 9: a hidden letter between two groups)', () => {
    expect(findIbans('IBAN GB82 WEST 12345698 7654 32')).toEqual(['GB82WEST12345698765432']);
    // Attacker round 10: groups of digits of any size (a UK sort code and account, a slip of the space bar),
    // and the country code apart from its check digits. A group of letters still ends the candidate.
    for (const text of ['GB82 WEST 123456 98765432', 'IBAN GB82 WEST 123 45698 7654 32']) {
      expect(findIbans(text), text).toEqual(['GB82WEST12345698765432']);
    }
    for (const text of ['IBAN DE 89 3704 0044 0532 0130 00 thanks', 'DE89 3704 0044 053201 3000']) {
      expect(findIbans(text), text).toEqual(['DE89370400440532013000']);
    }
    expect(findIbans('de 12 the cat sat on the mat, DE12 THE CAT SAT ON THE MAT TODAY')).toEqual([]);
  });

  it('does not read barcodes, IDs, phone numbers or tables of four-digit numbers as cards (second false-positive hunt, session 16)', () => {
    // Each of these bounced: a single group counted at any length a network issues, and a 4-4-4-4 window anywhere.
    for (const text of [
      'KB91523;5900295224691;Kitchen scale', // EAN-13
      'PO1-4-467-EA-7.53-PE-EN-5028623015589-VN-857875~', // EAN-13 in an X12 line
      'Mobile +4915260852186', // E.164, 13 digits
      'Mobile 639083645379', // 12 digits
      'ID number: 6401280005087', // South African ID (Luhn by design)
      'SSCC 687366304298525112',
      '620819198603283886', // Chinese ID
      'commit 752cb66d2b97d602236597365644b568a',
      'South 9602 5884 1544 8917 7167 4011', // a row of a sales report
      'G 4149 9095 3584 1361 5040 7128', // a plate reader's row
      'USPS 9405 5308 7989 1444 2725 77',
    ]) {
      expect(findCardNumbers(text), text).toEqual([]);
    }
    // A card and its expiry in fours, and a 16-digit Maestro, still count.
    expect(findCardNumbers('4111 1111 1111 1111 1229')).toEqual([CARD]);
    expect(findCardNumbers('Maestro 6759649826438453')).toEqual(['6759649826438453']);
  });

  it('does not read a French SIRET or a labelled KID or OCR payment reference as a card (attacker round 32’s false positive)', () => {
    // Each bounced an ordinary invoice: SIRETs pass Luhn by design (a SIREN starting 36, 38 or 300–305 has Diners
    // Club's prefix and length), and KID/OCR references are Luhn-checked (16 digits starting 4 or 5 read as Visa
    // or Mastercard).
    for (const text of [
      'SIRET : 362 521 874 00010',
      'N° SIRET 36252187400010',
      'Siret nº 38012986600014',
      'SAS au capital de 10 000 € — RCS Lyon 303 123 459 00016', // the SIRET layout, unlabelled
      'Betal til konto 1503.12.34567, KID-nummer 4123456789012349',
      'KID: 5123 4567 8901 2346',
      'Bankgiro 123-4567, OCR-nummer: 4123456789012349',
      'Referens (OCR) 5123456789012346',
      'Fakturanummer\tOCR\t4123456789012349', // a label cell beside its value
    ]) {
      expect(findCardNumbers(text), text).toEqual([]);
    }
    // Only a label right before the number, in capitals for KID and OCR, on its line; a card in another layout.
    for (const text of [
      'I ran OCR on the card: 4123456789012349',
      'the card for my kid: 4123 4567 8901 2349',
      'OCR\n4123456789012349',
      'OCR ref below. Card 4123456789012349',
      'SIRET 362521874 and the card 4123456789012349',
      // A label covers the number right after it, not the run it begins (attacker session 27, A27-1), and only
      // punctuation stands between them (A27-2).
      'Faktura KID: 12345678\n4123 4567 8901 2349 exp 12/29',
      'Notre SIRET : 732 829 320 00074\n\n4123 4567 8901 2349',
      'SIRET 73282932000074 - 4123 4567 8901 2349',
      'Faktura KID 12345678\n4123 4567 8901 2349;12/29',
      'OCR\u306e\u7d50\u679c 4123 4567 8901 2349',
      'OCR\u7ed3\u679c\uff1a4123 4567 8901 2349',
      'OCR \u2713 4123 4567 8901 2349',
      // A SIRET is 14 digits: its label does not cover a 16-digit card (attacker round 34, A34-6).
      'SIRET: 4123 4567 8901 2349',
      'N° SIRET 4123456789012349',
    ]) {
      expect(findCardNumbers(text), text).toEqual(['4123456789012349']);
    }
    expect(findCardNumbers('Diners 3056 930902 5904')).toEqual(['30569309025904']);
    expect(findCardNumbers('36252187400010')).toEqual(['36252187400010']);
  });

  it("keeps a four on another line or in another column out of the card's stretch (attacker round 10)", () => {
    const MC = '5555555555554444';
    expect(findCardNumbers('Sydney NSW 2000\n5555 5555 5555 4444\nthanks')).toEqual([MC]);
    expect(findCardNumbers('Tel 020 7946 0958\r\n5555 5555 5555 4444')).toEqual([MC]);
    expect(findCardNumbers('Bob Corp\t4111 1111 1111 1111\t1229\t1500.00')).toEqual([CARD]);
    expect(findCardNumbers('card ending 1111 \u2013 4111 1111 1111 1111 \u2013 was declined')).toEqual([
      CARD,
    ]);
    // Fours joined alike on one line remain a table row.
    expect(findCardNumbers('South 9602 5884 1544 8917 7167 4011')).toEqual([]);
    expect(findCardNumbers('9602\n5884\n1544\n8917\n7167\n4011')).toEqual([]);
  });

  it('keeps the cells and lines of an HTML page apart from the spaces in a number (attacker round 10)', async () => {
    const { htmlToFullText } = await import('@wmflow/core/mime');
    const flat = (html: string) =>
      htmlToFullText(html, '\u2029')
        .replace(/[ \t\r\n\f]+/g, ' ')
        .replace(/ ?\u2029[ \u2029]*/g, '\u2029');
    expect(
      findCardNumbers(flat('<tr><td>1234</td>\n <td>4111 1111 1111 1111</td><td>12/29</td></tr>')),
    ).toEqual([CARD]);
    expect(findCardNumbers(flat('<p>Sydney NSW 2000<br>4111 1111 1111 1111</p>'))).toEqual([CARD]);
    expect(findCardNumbers(flat('<td>4111</td><td>1111</td><td>1111</td><td>1111</td>'))).toEqual([CARD]);
    expect(
      findCardNumbers(flat('<td>9602</td><td>5884</td><td>1544</td><td>8917</td><td>7167</td><td>4011</td>')),
    ).toEqual([]);
  });

  it('finds IBANs with non-breaking spaces, dashes, lower case and full-width letters', () => {
    expect(findIbans('GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032')).toEqual([
      'GB82WEST12345698765432',
    ]);
    expect(findIbans('iban: gb82-west-1234-5698-7654-32.')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('\uff27\uff22\uff18\uff12 WEST 1234 5698 7654 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('DE89 3704 0044 0532 0130 00 GB82 WEST 1234 5698 7654 32')).toEqual([
      'DE89370400440532013000',
      'GB82WEST12345698765432',
    ]);
  });

  it('reads enclosed digits, script numerals and Chinese numerals as digits, not numerals in prose (attacker round 29)', () => {
    const spell = (first: number, zero?: number) =>
      ['4111', '1111', '1111', '1111']
        .map((g) =>
          [...g].map((d) => String.fromCodePoint(d === '0' ? (zero ?? 0) : first + Number(d) - 1)).join(''),
        )
        .join(' ');
    // ➀ ❶ ⓵ ⑴ ⒈ 〡 ፩ ㊀ 𝍠 (counting rods), and the Ethiopic digits of a Unicode run with no zero.
    for (const first of [0x2780, 0x2776, 0x278a, 0x24f5, 0x2474, 0x2488, 0x3021, 0x1369, 0x3280, 0x1d360])
      expect(findCardNumbers(spell(first)), first.toString(16)).toEqual([CARD]);
    expect(findCardNumbers('\u{1F105}\u{1F102}\u{1F102}\u{1F102}')).toEqual([]); // 🄅🄂 "4,1," alone: 4 digits
    expect(findCardNumbers('四一一一 一一一一 一一一一 一一一一')).toEqual([CARD]);
    expect(findCardNumbers('肆壹壹壹 壹壹壹壹 壹壹壹壹 壹壹壹壹')).toEqual([CARD]);
    expect(findCardNumbers('5500 〇〇〇〇 〇〇〇〇 〇〇〇四')).toEqual(['5500000000000004']);
    // Compatibility forms of numerals (round 30): Kangxi radical ⼀ (U+2F00), CJK compatibility 零 (U+F9B2),
    // squared 🈩 (U+1F229).
    expect(findCardNumbers('四\u2F00\u2F00\u2F00 \u2F00\u2F00\u2F00\u2F00 一一一一 一一一一')).toEqual([
      CARD,
    ]);
    expect(findCardNumbers('5500 \uF9B2\uF9B2\uF9B2\uF9B2 〇〇〇〇 〇〇〇四')).toEqual(['5500000000000004']);
    expect(findCardNumbers('四\u{1F229}\u{1F229}\u{1F229} 一一一一 一一一一 一一一一')).toEqual([CARD]);
    // Numerals inside words stay words: 一个 ("one"), 第一 ("first"), 三四 in a sentence, addresses; a year
    // in numerals reads as the year it is.
    const prose =
      '我们一个一个地检查了三四遍，第一、第二和第三项都没有问题。二〇二四年十二月一日，' +
      '東京都千代田区一丁目二番三号。〇〇様、一一〇番、五・一五事件、壱万円。';
    expect(canonicalText(prose)).toContain('.2024_');
    expect(findCardNumbers(prose.repeat(50), { requireKnownIssuer: false })).toEqual([]);
    expect(findIbans(prose.repeat(50))).toEqual([]);
  });

  it('reads IBANs in their national layouts, a letter in a group of another size (attacker round 52)', () => {
    const IT = 'IT60X0542811101000000123456';
    for (const text of [
      'IBAN: IT 60 X 05428 11101 000000123456\nGrazie',
      'Please pay to IBAN IT60X 05428 11101 000000123456 by Friday.',
      'IBAN IT60 X 05428 11101 000000123456',
      'IBAN IT60-X-05428-11101-000000123456',
    ])
      expect(findIbans(text), text).toEqual([IT]);
    expect(findIbans('IBAN: SM86 U 03225 09800 000000270100 - thank you')).toEqual([
      'SM86U0322509800000000270100',
    ]);
    expect(findIbans('RIB : FR14 20041 01005 0500013M026 06 (Banque)')).toEqual([
      'FR1420041010050500013M02606',
    ]);
    // mod-97 and the exact length still decide.
    expect(findIbans('IBAN: IT 61 X 05428 11101 000000123456')).toEqual([]);
    expect(findIbans('IBAN: IT 60 X 05428 11101 00000012345')).toEqual([]);
    // Groups of another size with two letters or more (words, ordinals, times, postcodes), or a third group with
    // a letter, end the candidate: shapes of prose and addresses that a country code and two digits start.
    for (const text of [
      'meet me at 10 a 2nd time on the 3rd floor, room 4b',
      'Derby DE22 3AB\n01332 123456\n07700 900123 0800 123 4567',
      'no 12 a 4 b 6 c 8 d 0000 0000 0000',
      'IBAN: IT 60 XY 05428 11101 000000123456',
    ])
      expect(findIbans(text), text).toEqual([]);
    let prose = '';
    for (let nn = 0; nn < 100; nn++) {
      const d = String(nn).padStart(2, '0');
      prose += `It ${d} a 5th time, at ${d} 10am on the 3rd floor, no ${d} x 2nd room 4b; be ${d} 3pm B2 7x. `;
      prose += `Is ${d} I 12345 by 2nd 000123 me ${d} 6789 SE19 2AB 01332 123456 DE ${d} 3AB 07700 900123. `;
    }
    expect(findIbans(prose)).toEqual([]);
  });

  it('reads dash look-alikes as dashes between digits only (attacker round 52: a Japanese IME types ー)', () => {
    for (const dash of [
      '\u30fc', // ー KATAKANA-HIRAGANA PROLONGED SOUND MARK (the IME's minus key)
      '\uff70', // ｰ its half-width form
      '\u2500', // ─ box drawing
      '\u2501', // ━
      '\u02d7', // ˗ modifier letter minus
      '\u2796', // ➖ heavy minus
      '\u2796\ufe0f', // ➖️ with its emoji selector
      '\uff5e', // ～ full-width tilde (wave dash)
      '~',
      '\u223c', // ∼ tilde operator
      '\u3161', // ㅡ Hangul vowel EU
      '\uff3f', // ＿ full-width low line
      '\u30fc\u200b', // an invisible after it does not count
    ]) {
      const card = ['4111', '1111', '1111', '1111'].join(dash);
      expect(findCardNumbers(`card ${card}`), JSON.stringify(dash)).toEqual([CARD]);
      expect(
        findCardNumbers(
          `カード番号：${card.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}です`,
        ),
      ).toEqual([CARD]);
    }
    expect(findIbans('振込先 IBAN：DE89ー3704ー0044ー0532ー0130ー00')).toEqual(['DE89370400440532013000']);
    // Elsewhere each keeps its class: a letter stays a word character, a symbol a symbol.
    expect(canonicalText('コーヒー ｺｰﾋｰ 1ー ー1 1ーー2 1ー a')).toBe('____ ____ 1_ _1 1__2 1_ a');
    expect(canonicalText('a~b 1~ a 2~3 x─1 1─')).toBe('a~b 1~ a 2-3 x!1 1!');
    expect(canonicalText('1ー\u200b2ー\u200bx')).toBe('1-2_x');
  });

  it('reads more characters drawn as one horizontal stroke as dashes between digits (attacker round 53)', () => {
    for (const dash of [
      '\u207b', // ⁻ superscript minus (NFKC: the minus sign)
      '\u208b', // ₋ subscript minus
      '\u1428', // ᐨ Canadian syllabics final short horizontal stroke
      '\u2cbb', // ⲻ Coptic small dialect-P ni
      '\u2cba', // Ⲻ its capital
      '\u06d4', // ۔ Arabic full stop
      '\ua7f7', // ꟷ Latin epigraphic sideways I
      '\u{10191}', // 𐆑 Roman uncia sign
      '\u0640', // ـ Arabic tatweel
      '\u07fa', // ߺ N'Ko lajanyalan
      '\u2581', // ▁ lower one eighth block
      '\u2594', // ▔ upper one eighth block
      '\u2e0f', // ⸏ paragraphos
      '\u{1d369}', // 𝍩 counting rod tens one
      '\u4e00', // 一 the numeral one, drawn as ー
      '\u2f00', // ⼀ its Kangxi radical
      '\u3192', // ㆒ the ideographic annotation one mark
      '\u4e00\u200b', // an invisible after it does not count
    ]) {
      const card = ['4111', '1111', '1111', '1111'].join(dash);
      expect(findCardNumbers(`card ${card}`), JSON.stringify(dash)).toEqual([CARD]);
      expect(
        findCardNumbers(
          `カード番号：${card.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}です`,
        ),
        JSON.stringify(dash),
      ).toEqual([CARD]);
    }
    expect(findIbans('IBAN：DE89一3704一0044一0532一0130一00')).toEqual(['DE89370400440532013000']);
    // 一 keeps its reading as the digit 1: a card spelled with it still counts, and numerals beside numerals (or
    // away from decimal digits) have no second reading.
    expect(findCardNumbers('4一11 1111 1111 1111')).toEqual([CARD]);
    expect(canonicalReadings('4111一1111')).toEqual(['411111111', '4111-1111']);
    expect(canonicalReadings('四一一一 一一一一 1一 一1 一二三')).toEqual(['4111 1111 11 11 123']);
    expect(canonicalReadings('٤一٥ ４一５')).toEqual(['415 415', '4-5 4-5']);
    // The new look-alikes keep their class away from digits: a letter a word character, a symbol a symbol.
    expect(canonicalText('ᐨa 1ᐨ ⲻ1 a▁b 1▁ ـ1 1ـ')).toBe('_a 1_ _1 a!b 1! _1 1_');
    // A superscript minus is a dash: exponents read as they did (`10⁻¹⁹` was `10-19`), and no card appears.
    expect(canonicalText('1.6×10⁻¹⁹ C, x⁻ ₋')).toBe('1.6&10-19 C, x- -');
    const prose =
      '电子电荷为1.6×10⁻¹⁹库仑。第1一2页，共3页。一九四九年十月一日。ـــ 2024ـ12ـ01 ـ ' +
      'Cl⁻ 35, Na⁺ 23. 4111─ x 1111 一 一 1111 ー      1111';
    expect(findCardNumbers(prose.repeat(50), { requireKnownIssuer: false })).toEqual([]);
    expect(findIbans(prose.repeat(50))).toEqual([]);
  });

  it('reads an IBAN with any run of separators after its country code (attacker round 53)', () => {
    const DE = 'DE89370400440532013000';
    for (const text of [
      'IBAN: DE-89-3704-0044-0532-0130-00',
      'IBAN: DE.89.3704.0044.0532.0130.00',
      'IBAN: DE - 89 3704 0044 0532 0130 00',
      'IBAN: DE/89/3704/0044/0532/0130/00',
      'IBAN: DE\n89 3704 0044 0532 0130 00',
      'IBAN: DE 89 3704 0044 0532 0130 00',
      'IBAN: DE89 3704 0044 0532 0130 00',
    ])
      expect(findIbans(text), JSON.stringify(text)).toEqual([DE]);
    expect(findIbans('IBAN: IT-60-X-05428-11101-000000123456')).toEqual(['IT60X0542811101000000123456']);
    // mod-97 and the exact length still decide; a gap longer than a run of separators does not join.
    expect(findIbans('IBAN: DE-88-3704-0044-0532-0130-00')).toEqual([]);
    expect(findIbans('IBAN: DE-89-3704-0044-0532-0130-0')).toEqual([]);
    expect(findIbans('IBAN: DE       89 3704 0044 0532 0130 00')).toEqual([]);
    let prose = '';
    for (let nn = 0; nn < 100; nn++) {
      const d = String(nn).padStart(2, '0');
      prose += `It-${d} a 5th time, at ${d}.10am on the 3rd floor, no.${d} x 2nd room 4b; be ${d} 3pm B2 7x. `;
      prose += `Is - ${d} I 12345 by 2nd 000123 me/${d} 6789 SE19 2AB 01332 123456 DE.${d}.3AB 07700 900123. `;
      prose += `DE-${d}-3704 0044 05 FR.${d}.2004 1010 GB - ${d} 1234 5698. `;
    }
    expect(findIbans(prose)).toEqual([]);
  });

  it('reads a dash look-alike with white space around it as a dash, as a true dash is (attacker round 54)', () => {
    for (const dash of [
      '\u30fc',
      '\u2500',
      '\u2501',
      '\u3161',
      '\u4e00',
      '\u23af',
      '\uff5e',
      '~',
      '\u3127',
    ]) {
      for (const spaced of [
        ` ${dash} `,
        `  ${dash} `,
        `\t${dash}\t`,
        ` ${dash}\u200b `,
        `\u3000${dash}\u3000`,
        `\n${dash}\n`,
      ]) {
        const card = ['4111', '1111', '1111', '1111'].join(spaced);
        expect(findCardNumbers(`card ${card}`), JSON.stringify(spaced)).toEqual([CARD]);
        expect(
          findCardNumbers(card.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))),
          JSON.stringify(spaced),
        ).toEqual([CARD]);
      }
      expect(findIbans(`IBAN: ${['DE89', '3704', '0044', '0532', '0130', '00'].join(` ${dash} `)}`)).toEqual([
        'DE89370400440532013000',
      ]);
    }
    // One separator run: the white space on both sides and the look-alike, six characters at most.
    expect(canonicalText('1    ー 2 1  ー   2 1     ー 2 1   ー    2')).toBe(
      '1    - 2 1  -   2 1     _ 2 1   _    2',
    );
    expect(canonicalReadings('4111 一 1111 1  一   2 1   一    2')).toEqual([
      '4111 1 1111 1  1   2 1   1    2',
      '4111 - 1111 1  -   2 1   1    2',
    ]);
    // Only white space: a letter, a second look-alike or the end keep each its class; so do words and numerals.
    expect(canonicalText('1 ー a b ー 2 1 ー ー 2 1 ─ ─ 2 1 ー')).toBe('1 _ a b _ 2 1 _ _ 2 1 ! ! 2 1 _');
    expect(canonicalText('コーヒー 2 杯 ー 3 ｺｰﾋｰ 4 ー ケーキ')).toBe('____ 2 _ _ 3 ____ 4 _ ___');
    expect(canonicalReadings('1 一 一 2 四 一 一 三 一 2')).toEqual(['1 1 1 2 4 1 1 3 1 2']);
    const prose =
      'コーヒー 2 杯とケーキ 1 個 ー 合計 4111 円。ラーメン 1111 ー 1111 ー チャーハン 1111 ー 1111 杯。' +
      '┌──────┬──────┐\n│ 4111 │ 1111 │\n├──────┼──────┤\n│ 1111 │ 1111 │\n└──────┴──────┘\n' +
      '4111\n════\n1111\n────\n1111 ─── 1111 ▂▂ 4111 ー ー 1111 第 1 一 2 页 一 1111 一 1111 一 1111. ';
    expect(findCardNumbers(prose.repeat(50), { requireKnownIssuer: false })).toEqual([]);
    expect(findIbans(prose.repeat(50))).toEqual([]);
  });

  it("reads what Unicode's confusables draw as a dash, and flat box and block lines, as dashes (attacker round 54)", () => {
    // Prototypes (marks aside) made of the hyphen-minus, the stroke ー (what 一, ─ and — are drawn as), the low line,
    // the macron and the tilde: the confusables of -, ‐, ‒, –, —, ー and 一 among them.
    const dashes = Object.entries(packageTable())
      .filter(
        ([ch, prototype]) =>
          [...ch].length === 1 && /^[-\u30fc_\u02c9~]+$/u.test(prototype.replace(/\p{M}/gu, '')),
      )
      .map(([ch]) => ch);
    expect(dashes.length).toBeGreaterThan(40);
    const byHand = [
      '\u3127', // ㄧ Bopomofo letter I (drawn as 一: newer confusables list it, 10.0 does not)
      '\u268a', // ⚊ monogram for yang
      '\u268b', // ⚋ monogram for yin
      ...'\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d\u2550\u2574\u2576\u2578\u257a\u257c\u257e', // box drawing
      ...'\u2580\u2581\u2582\u2583\u2584\u2594', // ▀ ▁ ▂ ▃ ▄ ▔
      ...'\u{1fb76}\u{1fb77}\u{1fb78}\u{1fb79}\u{1fb7a}\u{1fb7b}\u{1fb82}\u{1fb83}', // Legacy Computing
    ];
    const missed = [...dashes, ...byHand]
      .filter((ch) => !canonicalReadings(`1${ch}2 3 ${ch} 4`).includes('1-2 3 - 4'))
      .map((ch) => `U+${(ch.codePointAt(0) as number).toString(16)}`);
    expect(missed).toEqual([]);
    // Away from digits they keep their class; the taller blocks and the box lines that turn are no dashes (a vertical
    // box line is a table's bar since attacker round 71).
    // Other signs read as `&` since attacker round 79 (a join in a card's layout only).
    expect(canonicalText('aㄧb ⚊ ═a ▂ 1▅2 1┼2 1│2')).toBe('a_b ! !a ! 1&2 1&2 1|2');
  });

  it('does work linear in the input on hostile digit and separator soup (counted, not timed)', () => {
    const work = (n: number, unit: string) => {
      const w: ScanWork = { steps: 0 };
      for (const text of canonicalReadings(unit.repeat(n))) {
        scanCards(text, true, 100, w);
        scanIbans(text.toUpperCase(), 100, w);
      }
      return w.steps;
    };
    for (const unit of [
      '1 ',
      '12.-/ ',
      '1\u00a0',
      'GB82 1',
      '9'.repeat(30),
      ' '.repeat(7),
      'IT60 X 1 ',
      '1ー\u200b',
      '1一',
      '1一\u200b2',
      'DE-8',
      'DE - - - 1 ',
      '1\u207b',
      '1 ー ',
      '1  一 ',
      ' ー 1 ',
      '1 ー ー ',
      '1 ~\t',
    ]) {
      const small = work(20_000, unit);
      const large = work(40_000, unit);
      expect(large / small, JSON.stringify(unit)).toBeLessThan(2.2);
    }
  });
});
