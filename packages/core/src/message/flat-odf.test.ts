import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/index.js';
import type { ArchiveEntry } from './archive-entry.js';
import { listArchive, packagingDocumentOf } from './archive-files.js';
import { eachFlatOdfFile, isFlatOdfHead } from './flat-odf.js';

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"';
const flat = (body: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>\n') =>
  Buffer.from(
    `${prolog}<office:document ${NS} office:mimetype="application/vnd.oasis.opendocument.presentation">${body}</office:document>`,
  );
const EXECUTE = '<presentation:event-listener presentation:action="execute" xlink:href="file:///C:/x.exe"/>';

describe('isFlatOdfHead', () => {
  it('knows an office:document root, of any prefix, after a prolog', () => {
    expect(isFlatOdfHead(flat(''))).toBe(true);
    expect(
      isFlatOdfHead(
        Buffer.from('<!-- x --><o:document xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'),
      ),
    ).toBe(true);
    expect(isFlatOdfHead(Buffer.from('\ufeff<document-content>', 'utf16le'))).toBe(true);
  });
  it('leaves other XML and other bytes alone', () => {
    expect(isFlatOdfHead(Buffer.from('<?xml version="1.0"?><documents/>'))).toBe(false);
    expect(isFlatOdfHead(Buffer.from('<?xml version="1.0"?><pkg:package/>'))).toBe(false);
    expect(isFlatOdfHead(Buffer.from('x<office:document>'))).toBe(false);
  });
  it('is what packagingDocumentOf names it, before Word marks in its prolog', () => {
    expect(packagingDocumentOf(flat(''))).toBe('Flat ODF document');
    expect(packagingDocumentOf(flat('', '<!-- mso-application --><?xml-stylesheet href="a"?>'))).toBe(
      'Flat ODF document',
    );
  });
});

describe('eachFlatOdfFile', () => {
  const read = (data: Buffer) => {
    const names: string[] = [];
    eachFlatOdfFile(data, 1 << 20, (entry: ArchiveEntry) => names.push(entry.name));
    return names;
  };
  it('throws for a slide action or listener that runs a program or a macro', () => {
    expect(() => read(flat(EXECUTE))).toThrow(/runs a program or a macro/);
    expect(() =>
      read(
        flat(
          '<script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:href="x"/>',
        ),
      ),
    ).toThrow(/macro/);
    expect(read(flat('<presentation:event-listener presentation:action="next-page"/>'))).toEqual([]);
  });
  it('throws for a DDE formula, as the XML part of an archive is read', () => {
    expect(() => read(flat('<table:table-cell table:formula="of:=cmd|&apos;/c calc&apos;!A0"/>'))).toThrow(
      /DDE/,
    );
  });
  it('visits each binary-data element as a file, and refuses data that is not base64', () => {
    const ole = compoundFile([['Ole10Native', Buffer.from('x')]]).toString('base64');
    expect(
      read(
        flat(
          `<draw:object-ole><office:binary-data>${ole}</office:binary-data></draw:object-ole><office:binary-data/>`,
        ),
      ),
    ).toEqual(['Object 1']);
    expect(() => read(flat('<office:binary-data>*not*</office:binary-data>'))).toThrow(/not base64/);
  });
  it('is read at the top level as listArchive reads a packaging document', () => {
    expect(listArchive(flat(EXECUTE), 'Flat ODF document').unreadable).toMatch(/runs a program/);
    expect(listArchive(flat('<office:body/>'), 'Flat ODF document').unreadable).toBeUndefined();
  });
});
