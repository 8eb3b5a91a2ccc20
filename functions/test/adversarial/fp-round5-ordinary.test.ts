import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { compoundFile, rar4WithCrc, rar5Header, rarVint } from '@wmflow/core/testing';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { outlookShows } from '../../../packages/core/src/edit/test-support/attacker-round102-outlook-view.js';
import { CAMPAIGN_MONITOR } from '../../../packages/core/src/edit/test-support/fp-round5-newsletters.js';
import { attachedFile, attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Fifth false-positive hunt, over what attacker round 102 (Outlook's conditional comments before the body, 7z reparse
// points), fault round 82 and the session's RAR stream and .xls changes made stricter: ordinary mail real senders
// produce, through the prebuilt functions at their defaults.
const kit = attackerKit(useLocalStack());
const WORDS = 'came from outside the organization';

describe('FP5 banner (round 102): a Campaign Monitor newsletter', () => {
  it("is tagged and committed, its head's Outlook settings and hidden web fonts kept, the banner on top in Outlook", async () => {
    const { verdict, delivered } = await kit.inbound(
      mail(
        ['From: Shop <news@shop.example>', 'Content-Type: text/html; charset=utf-8'],
        `${CAMPAIGN_MONITOR}\r\n`,
      ),
      {},
      'bounces@cmail20.example',
    );
    expect(verdict).toBe('DEFAULT');
    const parsed = await simpleParser(delivered);
    expect(parsed.subject).toMatch(/^\[EXTERNAL\]/);
    const page = parsed.html || '';
    // Only the Outlook-only body tag and the stretch hiding the other body from Outlook are disabled.
    expect(page.match(/wmflow-off/g)).toHaveLength(2);
    expect(page).toContain('<!--[if gte mso 9]><xml><o:OfficeDocumentSettings>');
    expect(page).toMatch(/<!--\[if !mso\]><!--><style type="text\/css">\s*@import/);
    const outlook = outlookShows(page);
    expect(outlook.trimStart()).toMatch(/^This message came from outside the organization/);
    expect(outlook).toContain('Up to 40% off all boots.');
    expect(outlook.split(WORDS)).toHaveLength(2);
  });
});

// `samples/archives/unix-exec.7z` (plain header: Invoice, notes.txt), Invoice's attributes patched as Windows writes
// them: Data Deduplication's optimized files (reparse point + sparse), OneDrive and Dropbox placeholders (reparse point,
// recall on data access, pinned or unpinned), and files sparse, compressed, offline or not indexed.
function sevenZip(attributes: number): Buffer {
  const archive = Buffer.from(
    readFileSync(new URL('../../../samples/archives/unix-exec.7z', import.meta.url)),
  );
  const header = 32 + Number(archive.readBigUInt64LE(12));
  const at = archive.indexOf(Buffer.from('2080ed81', 'hex'), header);
  expect(at).toBeGreaterThan(0);
  archive.writeUInt32LE(attributes, at);
  archive.writeUInt32LE(crc32(archive.subarray(header)), 28);
  archive.writeUInt32LE(crc32(archive.subarray(12, 32)), 8);
  return archive;
}

describe('FP5 7z (round 102): Windows files with reparse points and other attributes', () => {
  const cases: Record<string, number> = {
    'a file Windows Server deduplicated (0x620: reparse point, sparse, archive)': 0x620,
    'a OneDrive placeholder filled on read (0x400420: recall on data access)': 0x400420,
    'a OneDrive file kept on this device (0x80420: pinned)': 0x80420,
    'a Dropbox online-only file (0x501420: unpinned, offline, recall on data access)': 0x501420,
    'a sparse, compressed, not-indexed file (0x2a20)': 0x2a20,
    'an offline (tiered) file (0x1020)': 0x1020,
  };
  for (const [name, attributes] of Object.entries(cases))
    it(`delivers a 7z holding ${name} beside a text file`, async () => {
      const [message] = attachedFile('files.7z', sevenZip(attributes));
      expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('DEFAULT');
    });
});

// RAR archives WinRAR writes with `-os` (NTFS streams saved) of files downloaded from the web or synced from a Mac
// share: Zone.Identifier (with its referrer and host addresses), Edge's SmartScreen, SMB's AFP_AfpInfo, a summary
// information stream and Dropbox's attributes, on files in a folder.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const ZONE = Buffer.from(
  '[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://portal.partner.example/docs/\r\nHostUrl=https://files.partner.example/q3/report.pdf\r\n',
  'latin1',
);
const STREAMS = [
  ':Zone.Identifier',
  ':SmartScreen',
  ':AFP_AfpInfo',
  ':\u0005SummaryInformation',
  ':{4c8cc155-6c1e-11d1-8e41-00c04fb9386d}',
  ':com.dropbox.attrs',
];
function header5(type: 2 | 3, name: string, data: Buffer, extra: readonly number[] = []): Buffer {
  const n = [...Buffer.from(name, 'utf8')];
  const flags = 0x2 | (extra.length ? 0x1 : 0);
  const fields = [type, flags, ...(extra.length ? rarVint(extra.length) : []), ...rarVint(data.length), 0];
  return Buffer.concat([
    rar5Header([...fields, ...rarVint(data.length), 0, 0, 0, n.length, ...n, ...extra]),
    data,
  ]);
}
function stream5(stream: string, data: Buffer): Buffer {
  const s = Buffer.from(stream, 'utf8');
  return header5(3, 'STM', data, [...rarVint(s.length + 1), 7, ...s]);
}
function header4(type: number, name: string, data: Buffer, sub = Buffer.alloc(0)): Buffer {
  const n = Buffer.from(name, 'latin1');
  const head = Buffer.alloc(32 + n.length + sub.length);
  head.writeUInt8(type, 2);
  head.writeUInt16LE(0x8000, 3);
  head.writeUInt16LE(head.length, 5);
  head.writeUInt32LE(data.length, 7);
  head.writeUInt32LE(data.length, 11);
  head.writeUInt8(2, 15);
  head.writeUInt8(29, 24);
  head.writeUInt8(0x30, 25);
  head.writeUInt16LE(n.length, 26);
  head.writeUInt32LE(0x20, 28);
  n.copy(head, 32);
  sub.copy(head, 32 + n.length);
  return Buffer.concat([rar4WithCrc(head), data]);
}
function rarWithStreams(version: 4 | 5): Buffer {
  if (version === 5)
    return Buffer.concat([
      Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'),
      rar5Header([1, 0, 0]),
      header5(2, 'Q3/report.pdf', PDF),
      ...STREAMS.map((s) => stream5(s, ZONE)),
      header5(2, 'Q3/summary.pdf', PDF),
      stream5(':Zone.Identifier', ZONE),
      rar5Header([5, 0, 0]),
    ]);
  const main = Buffer.alloc(13);
  main.writeUInt8(0x73, 2);
  main.writeUInt16LE(13, 5);
  const end = Buffer.alloc(7);
  end.writeUInt8(0x7b, 2);
  end.writeUInt16LE(0x4000, 3);
  end.writeUInt16LE(7, 5);
  return Buffer.concat([
    Buffer.from('Rar!\x1a\x07\x00', 'latin1'),
    rar4WithCrc(main),
    header4(0x74, 'Q3\\report.pdf', PDF),
    ...STREAMS.map((s) => header4(0x7a, 'STM', ZONE, Buffer.from(s, 'utf16le'))),
    header4(0x74, 'Q3\\summary.pdf', PDF),
    header4(0x7a, 'STM', ZONE, Buffer.from(':Zone.Identifier', 'utf16le')),
    rar4WithCrc(end),
  ]);
}

describe('FP5 RAR (session 49): files with the NTFS streams Windows and sync clients add', () => {
  for (const version of [4, 5] as const)
    it(`delivers a RAR ${version} of two PDFs in a folder with their streams`, async () => {
      const [message] = attachedFile('q3.rar', rarWithStreams(version));
      expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('DEFAULT');
    });
});

// Ordinary .xls workbooks sent out (round 98's cells, walked once since 8ee6903): an invoice with a ten-digit invoice
// number, a customer number, dates, quantities and currency amounts; an exported report of order numbers.
const NONE = Buffer.alloc(0);
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
const format = (id: number, code: string) => {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(code.length, 2);
  return record(0x041e, Buffer.concat([head, Buffer.from(code, 'latin1')]));
};
// A NUMBER cell at (row, col) under XF `x`.
const num = (row: number, col: number, x: number, value: number) => {
  const data = Buffer.alloc(14);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(col, 2);
  data.writeUInt16LE(x, 4);
  data.writeDoubleLE(value, 6);
  return record(0x0203, data);
};
// A LABEL cell (BIFF8: an 8-bit XLUnicodeString).
const label = (row: number, col: number, text: string) => {
  const data = Buffer.alloc(9 + text.length);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(col, 2);
  data.writeUInt16LE(15, 4);
  data.writeUInt16LE(text.length, 6);
  data.write(text, 9, 'latin1');
  return record(0x0204, data);
};
// A FORMULA cell with its cached number (`=SUM(C7:C8)`: tArea 0x25 over rows 6-7 of column 2).
const formula = (row: number, col: number, x: number, value: number) => {
  const data = Buffer.alloc(22 + 11);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(col, 2);
  data.writeUInt16LE(x, 4);
  data.writeDoubleLE(value, 6);
  data.writeUInt16LE(11, 20);
  Buffer.from([0x25, 6, 0, 7, 0, 2, 0xc0, 2, 0xc0, 0x19, 0x10]).copy(data, 22);
  return record(0x0006, data.subarray(0, 22 + 11));
};
// The shared strings (SST) and a LABELSST cell pointing into them.
const sst = (strings: readonly string[]) => {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(strings.length, 0);
  head.writeUInt32LE(strings.length, 4);
  const body = strings.map((t) => {
    const b = Buffer.alloc(3 + t.length);
    b.writeUInt16LE(t.length, 0);
    b.write(t, 3, 'latin1');
    return b;
  });
  return record(0x00fc, Buffer.concat([head, ...body]));
};
const labelSst = (row: number, col: number, index: number) => {
  const data = Buffer.alloc(10);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(col, 2);
  data.writeUInt16LE(15, 4);
  data.writeUInt32LE(index, 6);
  return record(0x00fd, data);
};
// XF 15 General, 16 a date, 17 a currency amount, 18 a whole number with separators.
const workbook = (cells: Buffer[], strings: readonly string[] = [], second: Buffer[] = []) =>
  compoundFile([
    [
      'Workbook',
      Buffer.concat([
        bof(0x0005),
        format(164, 'dd/mm/yyyy'),
        format(165, '"$"#,##0.00'),
        format(166, '#,##0'),
        ...Array.from({ length: 16 }, () => xf(0)),
        xf(164),
        xf(165),
        xf(166),
        ...(strings.length > 0 ? [sst(strings)] : []),
        record(0x000a, NONE),
        bof(0x0010),
        ...cells,
        record(0x000a, NONE),
        ...(second.length > 0 ? [bof(0x0010), ...second, record(0x000a, NONE)] : []),
      ]),
    ],
  ]);

describe('FP5 .xls (8ee6903): ordinary workbooks are sent', () => {
  const books: Record<string, Buffer> = {
    'an invoice (invoice and customer numbers, dates, quantities, amounts)': workbook([
      label(0, 0, 'Invoice'),
      num(0, 1, 15, 2026001234),
      label(1, 0, 'Customer'),
      num(1, 1, 15, 88012345),
      label(2, 0, 'Date'),
      num(2, 1, 16, 46363),
      label(3, 0, 'Due'),
      num(3, 1, 16, 46393),
      label(5, 0, 'Item'),
      label(5, 1, 'Qty'),
      label(5, 2, 'Price'),
      label(6, 0, 'Boots, leather'),
      num(6, 1, 15, 12),
      num(6, 2, 17, 89.5),
      label(7, 0, 'Laces'),
      num(7, 1, 15, 40),
      num(7, 2, 17, 2.25),
      label(8, 0, 'Total'),
      num(8, 2, 17, 1164),
    ]),
    'an invoice with shared strings, formula totals and a second sheet of terms': workbook(
      [
        labelSst(0, 0, 0),
        num(0, 1, 15, 2026001235),
        labelSst(1, 0, 1),
        num(1, 1, 16, 46363),
        labelSst(6, 0, 2),
        num(6, 1, 15, 3),
        num(6, 2, 17, 1250),
        labelSst(7, 0, 3),
        num(7, 1, 15, 1),
        num(7, 2, 17, 95.5),
        labelSst(8, 0, 4),
        formula(8, 2, 17, 3845.5),
      ],
      ['Invoice no.', 'Date', 'Consulting days', 'Travel', 'Total'],
      [labelSst(0, 0, 1), num(0, 1, 16, 46393), num(1, 1, 15, 30)],
    ),
    'an exported report of order numbers and amounts': workbook(
      Array.from({ length: 20 }, (_, i) => [
        num(i, 0, 15, 700100200 + i * 37),
        num(i, 1, 16, 46300 + i),
        num(i, 2, 18, 1000 + i * 131),
      ]).flat(),
    ),
  };
  it('(control) the same builder with a card number in a shared string is refused: the workbook is read', async () => {
    const book = workbook([labelSst(0, 0, 0)], ['Card 4111 1111 1111 1111']);
    const verdict = await kit.outboundVerdict(outboundFile('invoice.xls', book, 'application/vnd.ms-excel'));
    expect(verdict?.type).toBe('BOUNCE');
    expect(JSON.stringify(verdict)).not.toMatch(/could not be checked/);
  });
  for (const [name, book] of Object.entries(books))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(outboundFile('invoice.xls', book, 'application/vnd.ms-excel'))).toBe(
        'DEFAULT',
      );
    });
});
