import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 116 (DLP, an inside user sending an IBAN out through outbound-policy at its defaults): an IBAN whose
// letters are grouped in another size than four (`GB 82 WE ST 12 34…`, threes, fives, one character a table cell,
// and so round 112's columns read across), or typed as Cyrillic or Greek look-alikes (`GB82 WЕST…`, `37О4`), was
// sent: groups with letters at another size than four ended the candidate, and canonical text read every letter of
// another script as `_`.
const kit = attackerKit(useLocalStack());
const DE = 'DE89370400440532013000';
const GB = 'GB82WEST12345698765432';
const groups = (s: string, size: number, sep = ' ') =>
  (s.match(new RegExp(`.{1,${size}}`, 'g')) as string[]).join(sep);
const text = (body: string) =>
  mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'], `${body}\r\n`);
const cells = (items: readonly string[]) =>
  `<table><tr>${items.map((c) => `<td>${c}</td>`).join('')}</tr></table>`;

describe('A116-1: an IBAN grouped in another size than four (bounced)', () => {
  const cases: Record<string, () => Buffer> = {
    'in twos': () => text(`IBAN ${groups(GB, 2)}`),
    'in threes': () => text(`IBAN ${groups(GB, 3)}`),
    'in fives': () => text(`IBAN ${groups(GB, 5)}`),
    'one character apart': () => text([...GB].join(' ')),
    'one character a table cell': () => outboundPage(cells([...GB])),
    'in columns read across (rows of four)': () => {
      const rows = groups(GB, 4).split(' ');
      const columns = [0, 1, 2, 3].map((j) => rows.map((r) => r[j] ?? '').join('<br>'));
      return outboundPage(cells(columns));
    },
  };
  for (const [name, make] of Object.entries(cases))
    it(name, async () => {
      expect(await kit.outbound(make())).toBe('BOUNCE');
    });
});

describe('A116-2: an IBAN with Cyrillic or Greek look-alike letters (bounced)', () => {
  const cases: Record<string, string> = {
    'a Cyrillic Е in the bank code': groups(GB, 4).replace('WEST', 'W\u0415ST'),
    'a Cyrillic В in the country code': groups(GB, 4).replace('GB', 'G\u0412'),
    'a Cyrillic О for a zero': groups(DE, 4).replace('3704', '37\u041e4'),
    'a Greek Ο for a zero': groups(DE, 4).replace('3704', '37\u039f4'),
    'small Cyrillic letters': groups(GB, 4).toLowerCase().replace('west', 'w\u0435\u0455t'),
  };
  for (const [name, iban] of Object.entries(cases))
    it(name, async () => {
      expect(await kit.outbound(text(`IBAN ${iban}`))).toBe('BOUNCE');
    });
});

describe('A116-2: a card with Cyrillic look-alike letters, through the same canonical text (bounced)', () => {
  it('groups glued by a Cyrillic х', async () => {
    expect(await kit.outbound(text('4111\u04451111\u04451111\u04451111'))).toBe('BOUNCE');
  });
  it('a Cyrillic О for a zero', async () => {
    expect(await kit.outbound(text('card 4000 \u041e000 \u041e000 0002'))).toBe('BOUNCE');
  });
});

describe('A116 held: decided at the defaults, unchanged', () => {
  it('an invoice footer with the company IBAN is bounced, as before (one IBAN counts at the defaults)', async () => {
    const footer =
      'Example Corp GmbH · Hauptstr. 1 · 10115 Berlin · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX';
    expect(await kit.outbound(text(`Please find the invoice attached.\n\n--\n${footer}`))).toBe('BOUNCE');
  });
  it('groups joined by commas join nothing (CSV columns)', async () => {
    expect(await kit.outbound(text(groups(DE, 4, ',')))).toBe('DEFAULT');
  });
});

describe('A116 controls (sent)', () => {
  const controls: Record<string, string> = {
    'Russian prose with numbers':
      'Счёт № 4521 от 12.03.2026 на сумму 15 300 руб. Оплата до 25 марта, тел. +7 495 123 45 67.',
    'Greek prose with numbers': 'Η παραγγελία ΑΒ 12 34 56 εστάλη στις 12/03. Τηλ. 210 123 4567, ΤΚ 105 57.',
    'a table of two-letter codes and figures':
      'AT 20 km DE 30 km CH 45 km IT 12 km FR 60 km NL 15 km BE 22 km',
    'a list of country codes and prices in twos': 'DE 12 EU ro 34 ab 56 cd 78 ef 90 gh 12 ij 34',
    'flight numbers and seats': 'GB 82 LH 400 FRA JFK seat 12A, GB 83 LH 401 JFK FRA seat 14C',
    'a licence plate list in threes': 'DE1 23A BC4 56D EF7 89G HI0 12J KL3 45M',
    'a Cyrillic word glued to an order number': 'Заказ4521 оплачен, код АО7 готов',
  };
  for (const [name, body] of Object.entries(controls))
    it(name, async () => {
      expect(await kit.outbound(text(body))).toBe('DEFAULT');
    });
});
