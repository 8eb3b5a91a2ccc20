import { compoundFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, mail, outboundFile, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Fourth false-positive hunt, over attacker rounds 96-101: ordinary mail each round's stricter reading could refuse.
const stack = useLocalStack();
const kit = attackerKit(stack);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const TEXT = Buffer.from('Hello\n', 'utf8');
const NONE = Buffer.alloc(0);
const tarLink = (name: string, target: string, type: '1' | '2' = '2') =>
  tarEntry(name, NONE, type, { ...USTAR_MAGIC, 157: target });
const tarFile = (name: string, data: Buffer) => tarEntry(name, data, '0', USTAR_MAGIC);
const tarDir = (name: string) => tarEntry(name, NONE, '5', USTAR_MAGIC);

describe('FP4 archives (rounds 96/97): ordinary layouts are delivered', () => {
  const cases: Record<string, Buffer> = {
    // Finder's "Compress" (ditto -c -k --sequesterRsrc --keepParent) of a framework bundle: inside links only.
    'a macOS framework bundle zip with Versions/Current and AppleDouble files': zipFile([
      { name: 'Kit.framework/Versions/A/Headers/Kit.h', data: TEXT },
      { name: 'Kit.framework/Versions/A/Resources/Info.plist', data: TEXT },
      { name: 'Kit.framework/Versions/Current', data: 'A', symlink: true, method: 0 },
      { name: 'Kit.framework/Headers', data: 'Versions/Current/Headers', symlink: true, method: 0 },
      { name: 'Kit.framework/Resources', data: 'Versions/Current/Resources', symlink: true, method: 0 },
      { name: '__MACOSX/Kit.framework/Versions/A/Headers/._Kit.h', data: TEXT },
      { name: '__MACOSX/Kit.framework/Versions/._Current', data: TEXT },
    ]),
    'case-only duplicate names and names of dots (README, readme, ..notes, v1..2)': zipFile([
      { name: 'README', data: TEXT },
      { name: 'readme', data: TEXT },
      { name: 'docs/..notes.txt', data: TEXT },
      { name: 'docs/v1..2/report.pdf', data: PDF },
      { name: 'Invoice No./scan.pdf', data: PDF },
    ]),
    // npm pack: `package/` prefix; a project tarball with ./ prefixes, an inside .bin link and a hard link.
    'an npm-style tarball with ./ prefixes, node_modules/.bin links and a hard link': tarArchive(
      tarDir('./'),
      tarDir('./package/'),
      tarFile('./package/package.json', TEXT),
      tarFile('./package/node_modules/tool/README.md', TEXT),
      tarLink('./package/node_modules/.bin/tool', '../tool/README.md'),
      tarFile('./package/bin/run.txt', TEXT),
      tarLink('./package/bin/again.txt', './package/bin/run.txt', '1'),
      tarLink('./package/latest', 'bin', '2'),
    ),
  };
  for (const [label, archive] of Object.entries(cases))
    it(`delivers ${label}`, async () => {
      const [message] = attachedFile(label.includes('tarball') ? 'project.tar' : 'project.zip', archive);
      expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('DEFAULT');
    });
});

// Outbound .xls (round 98): one XF 15 of the General format, rows of MULRK cells.
const record = (type: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};
const bof = (kind: number) => {
  const data = Buffer.alloc(16);
  data.writeUInt16LE(0x0600, 0);
  data.writeUInt16LE(kind, 2);
  return record(0x0809, data);
};
const xf = (formatId: number) => {
  const data = Buffer.alloc(20);
  data.writeUInt16LE(formatId, 2);
  return record(0x00e0, data);
};
const rk = (n: number) => ((n << 2) | 2) >>> 0;
const mulrk = (row: number, values: number[]) => {
  const data = Buffer.alloc(6 + values.length * 6);
  data.writeUInt16LE(row, 0);
  values.forEach((v, i) => {
    data.writeUInt16LE(15, 4 + i * 6);
    data.writeUInt32LE(rk(v), 6 + i * 6);
  });
  data.writeUInt16LE(values.length - 1, 4 + values.length * 6);
  return record(0x00bd, data);
};
const xls = (rows: Buffer[]) =>
  compoundFile([
    [
      'Workbook',
      Buffer.concat([
        bof(0x0005),
        ...Array.from({ length: 16 }, () => xf(0)),
        record(0x000a, NONE),
        bof(0x0010),
        ...rows,
        record(0x000a, NONE),
      ]),
    ],
  ]);
// A budget's twelve monthly amounts: 4500 1200 1350 1252 happen to read as a Visa number passing Luhn (about one
// window in fifty of four-digit amounts does), though no cell is a card and the row holds twelve numbers.
const BUDGET = [1200, 4500, 1200, 1350, 1252, 1300, 1425, 1380, 1290, 1510, 1475, 1600];

describe('FP4 .xls (round 98): a budget row of twelve monthly amounts', () => {
  it('sends the workbook', async () => {
    expect(
      await kit.outbound(outboundFile('budget.xls', xls([mulrk(0, BUDGET)]), 'application/vnd.ms-excel')),
    ).toBe('DEFAULT');
  });
  it('(for comparison) sends the same twelve amounts as a line of text', async () => {
    expect(await kit.outbound(mail(['Content-Type: text/plain'], `Budget 2027: ${BUDGET.join(' ')}`))).toBe(
      'DEFAULT',
    );
  });
});

// Found (round 98, bought on purpose as in an .xlsx, left): a quarterly report's row of four whole four-digit amounts
// is read as one number; about one such row in 23 (4.4% of random amounts 1000-9999, measured with findCardNumbers)
// passes Luhn under an issuer prefix, so a 20-row report is refused more often than not. A card split over four
// cells is the attack round 98 closed; no reading of the cells tells the two apart, so this is kept open.
describe('FP4 .xls (round 98): a quarterly report row of four amounts', () => {
  // Revenue Q1-Q4: 4500 1200 1350 1252 (the label is a text cell; the row's numbers read side by side).
  it.fails('sends the workbook (today: BOUNCE, read as the card 4500 1200 1350 1252)', async () => {
    const label = Buffer.alloc(10);
    label.writeUInt16LE(15, 4);
    const book = xls([record(0x00fd, label), mulrk(0, [4500, 1200, 1350, 1252])]);
    expect(await kit.outbound(outboundFile('q-report.xls', book, 'application/vnd.ms-excel'))).toBe(
      'DEFAULT',
    );
  });
});

// Arabic Excel writes a Hijri date as `B2dd/mm/yyyy` (`B1` the Gregorian calendar): the calendar's digit is no
// written digit, but round 98 read the format as one writing a 2 beside a date, so an invoice dated that way was
// refused as unread.
const xlsFormatted = (code: string, value: number) => {
  const format = Buffer.alloc(5);
  format.writeUInt16LE(164, 0);
  format.writeUInt16LE(code.length, 2);
  const cell = Buffer.alloc(14);
  cell.writeUInt16LE(16, 4);
  cell.writeDoubleLE(value, 6);
  return compoundFile([
    [
      'Workbook',
      Buffer.concat([
        bof(0x0005),
        record(0x041e, Buffer.concat([format, Buffer.from(code, 'latin1')])),
        ...Array.from({ length: 16 }, () => xf(0)),
        xf(164),
        record(0x000a, NONE),
        bof(0x0010),
        record(0x0203, cell),
        record(0x000a, NONE),
      ]),
    ],
  ]);
};

describe('FP4 .xls (round 98): an Arabic invoice dated by the Hijri or Gregorian calendar', () => {
  for (const code of ['B2dd/mm/yyyy', 'B1dd/mm/yyyy', '[$-1010401]B2dd/mm/yyyy;@', 'B2yyyy/mm/dd hh:mm'])
    it(`sends a date under ${code}`, async () => {
      const book = xlsFormatted(code, 46363);
      expect(await kit.outbound(outboundFile('invoice.xls', book, 'application/vnd.ms-excel'))).toBe(
        'DEFAULT',
      );
    });
  // Digits written beside such a date are still refused (round 98): quoted, escaped, or a calendar's digit quoted.
  for (const code of ['"4111 1111 "B2dd/mm', '\\4\\1\\1\\1 B1dd/mm', '"B2"dd/mm/yyyy', '\\B2dd/mm'])
    it(`still bounces a date under ${code}`, async () => {
      const book = xlsFormatted(code, 46363);
      expect(await kit.outbound(outboundFile('invoice.xls', book, 'application/vnd.ms-excel'))).toBe(
        'BOUNCE',
      );
    });
});

describe('FP4 right-to-left and floated pages (round 99)', () => {
  it('sends a Hebrew receipt with an order number, a phone number, a date and amounts', async () => {
    const body =
      '<div dir="rtl"><p>הזמנה מספר <span dir="ltr">4580-1121</span></p>' +
      '<p>טלפון: <span dir="ltr">03-1234-5678</span></p><p>תאריך: <span dir="ltr">07/12/2026</span></p>' +
      '<table dir="rtl"><tr><td>מק"ט</td><td>כמות</td><td>מחיר</td></tr>' +
      '<tr><td dir="ltr">4580</td><td dir="ltr">2</td><td dir="ltr">1,121.00</td></tr>' +
      '<tr><td dir="ltr">1290</td><td dir="ltr">1</td><td dir="ltr">1,310.00</td></tr></table></div>';
    expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
  });
  it('sends a receipt whose price column floats right, four-digit SKUs in a table', async () => {
    const lines = [
      ['4580', '1121'],
      ['1290', '1310'],
      ['4012', '8888'],
    ]
      .map(([sku, price]) => `<div>SKU <span>${sku}</span><span style="float:right">${price}.00</span></div>`)
      .join('');
    expect(await kit.outbound(outboundPage(lines))).toBe('DEFAULT');
  });
});

// Round 100's sheet and pin and round 101's fallback: ordinary outside HTML mail is still tagged (committed).
describe('FP4 banner (rounds 100/101): ordinary outside HTML is tagged, not refused or junked', () => {
  const html = (charset: string, body: string) =>
    mail([`Content-Type: text/html; charset=${charset}`, 'Content-Transfer-Encoding: 8bit'], body);
  const cases: Record<string, Buffer> = {
    'a fragment with no html, head or body': html(
      'utf-8',
      '<p>Your invoice <b>INV-2041</b> is attached.</p>',
    ),
    'XHTML with an XML declaration and a DOCTYPE': html(
      'utf-8',
      '<?xml version="1.0" encoding="utf-8"?>\r\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Statement</title></head><body><p>Statement</p></body></html>',
    ),
    'a newsletter whose body has a long inline style and a z-index header': html(
      'utf-8',
      `<html><head><style>@layer base{body{margin:0}}.hdr{position:sticky;top:0;z-index:10}</style></head><body style="margin:0;padding:0;${'background:#fff;'.repeat(30)}"><div class="hdr">News</div><table width="600"><tr><td>Hello</td></tr></table></body></html>`,
    ),
    'a Hebrew page in windows-1255': mail(
      ['Content-Type: text/html; charset=windows-1255', 'Content-Transfer-Encoding: 8bit'],
      Buffer.from(
        '<html dir="rtl"><body><p>\xf9\xec\xe5\xed, \xe4\xe7\xf9\xe1\xe5\xf0\xe9\xfa 4580 \xee\xe5\xeb\xf0\xe4.</p></body></html>',
        'latin1',
      ),
    ),
  };
  for (const [label, message] of Object.entries(cases))
    it(`tags ${label}`, async () => {
      const { verdict, delivered } = await kit.inbound(message, {}, 'ann@partner.example');
      expect({ verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(delivered.toString('latin1')) }).toEqual({
        verdict: 'DEFAULT',
        tagged: true,
      });
    });
});

// Round 99 reads some containers once more reversed. Four quarterly figures, 1252 1350 1200 4500 left to right,
// make no card as written and as drawn; the other way round (4500 1200 1350 1252) they pass Luhn under Visa's prefix.
describe('FP4 figures laid out left to right (round 99): not read backwards into a card', () => {
  const Q = ['1252', '1350', '1200', '4500'];
  const cases: Record<string, string> = {
    'an SVG bar chart labelled by x': `<svg width="400" height="120">${Q.map((v, i) => `<text x="${20 + i * 90}" y="110">${v}</text>`).join('')}</svg>`,
    'a hybrid template of inline-block columns': `<div>${Q.map((v) => `<div style="display:inline-block;width:25%"><p>Q</p><p>${v}</p></div>`).join('')}</div>`,
    'a table of four cells': `<table><tr>${Q.map((v) => `<td>${v}</td>`).join('')}</tr></table>`,
    'absolutely placed labels in drawn order': `<div style="position:relative;height:20px">${Q.map((v, i) => `<span style="position:absolute;left:${i * 90}px">${v}</span>`).join('')}</div>`,
    'floated left columns': `<div>${Q.map((v) => `<div style="float:left;width:90px">${v}</div>`).join('')}</div>`,
  };
  for (const [label, body] of Object.entries(cases))
    it(`sends ${label}`, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
    });
});

// Round 101: a service sending as the organization (an HR platform's `From: hr@corp.example` from its own envelope)
// with the headers real relays write, folded as they fold them, is tagged (committed), not junked.
describe('FP4 a service sending as the organization (round 101)', () => {
  it('tags it with folded DKIM, ARC and Microsoft 365 Received lines and a long References', async () => {
    const b = 'A'.repeat(344);
    const fold = (s: string) => s.replace(/(.{70})/g, '$1\r\n\t');
    const message = mail(
      [
        `Received: from EUR05-AM6-obe.outbound.protection.outlook.com (mail-am6eur05on2040.outbound.protection.outlook.com [40.107.22.40])\r\n\tby inbound-smtp.eu-west-1.amazonaws.com with SMTP id 0123456789abcdef\r\n\tfor bob@corp.example; Mon, 07 Dec 2026 08:00:00 +0000 (UTC)`,
        `ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none;\r\n\tb=${fold(b)}`,
        `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=hrplatform.example; s=s1;\r\n\th=From:To:Subject:Date:Message-ID; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=${fold(b)}`,
        `References: ${Array.from({ length: 30 }, (_, i) => `<thread-${i}-0123456789@hrplatform.example>`).join('\r\n ')}`,
        'From: Corp HR <hr@corp.example>',
        'Content-Type: text/plain; charset=utf-8',
      ],
      'Your payslip for November is ready.',
    );
    const { verdict, delivered } = await kit.inbound(message, {}, 'bounces+123@hrplatform.example');
    expect({ verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(delivered.toString('latin1')) }).toEqual({
      verdict: 'DEFAULT',
      tagged: true,
    });
  });
});
