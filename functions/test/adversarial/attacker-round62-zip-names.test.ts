import { crc32 } from 'node:zlib';
import {
  paxHeader,
  paxRecord,
  rarFile,
  tarArchive,
  tarEntry,
  USTAR_MAGIC,
  zipFile,
} from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 62, A62-2: an archive file name spelled with an overlong UTF-8 form of an ASCII character
// (`invoice<C0 AE>js`, `invoice.j<C1 B3>`, `invoice<E0 80 AE>js`). Node, Windows and 7-Zip 21.02 and later decode
// it as U+FFFD, so the guard saw `invoice\uFFFD\uFFFDjs` (no extension) and delivered the zip or RAR 5; 7-Zip
// before 21.02 (19.00 is still the version many machines run) decodes each lead byte's bits without checking for
// overlong forms, as cabextract does (which the cabinet reader already refused): it lists and extracts
// `invoice.js`; so does its RAR 4 reader for a name flagged Unicode without RAR's own encoding (UTF-8), and its tar
// reader takes names as UTF-8 when they decode. A name with such a form is now not listed, so the archive is
// refused (a pax record other than the names, which may hold binary, is not read as a name).
const stack = useLocalStack();
const kit = attackerKit(stack);
const JS = Buffer.from('var s=new ActiveXObject("WScript.Shell");s.Run("cmd /c calc");\r\n');

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

// `archive` with every copy of `placeholder` overwritten by `raw` (the same length).
function patched(archive: Buffer, placeholder: string, raw: Buffer): Buffer {
  for (let at = archive.indexOf(placeholder); at >= 0; at = archive.indexOf(placeholder, at + 1))
    raw.copy(archive, at);
  return archive;
}

// A zip of one stored file whose name's bytes are `raw`, flagged UTF-8 (bit 11) unless `flag` is false; or with
// `unicodePath`, an ASCII name and `raw` in an Info-ZIP Unicode Path field (0x7075), which 7-Zip extracts under.
function rawNamedZip(
  raw: Buffer,
  options: { flag?: boolean; unicodePath?: boolean; unix?: boolean } = {},
): Buffer {
  if (options.unicodePath) {
    const field = Buffer.concat([Buffer.from([0x75, 0x70, 5 + raw.length, 0, 1, 0, 0, 0, 0]), raw]);
    return zipFile([{ name: 'invoice.txt', data: JS, method: 0, extra: field }]);
  }
  const zip = patched(
    zipFile([
      {
        name: 'Q'.repeat(raw.length),
        data: JS,
        method: 0,
        ...(options.unix ? { madeBy: { host: 3, mode: 0o100644 } } : {}),
      },
    ]),
    'Q'.repeat(raw.length),
    raw,
  );
  if (options.flag !== false) {
    zip.writeUInt16LE(zip.readUInt16LE(6) | 0x800, 6);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt16LE(zip.readUInt16LE(central + 8) | 0x800, central + 8);
  }
  return zip;
}

// A RAR 5 archive of one stored file whose name's bytes are `raw` (its header's CRC made right again).
function rawNamedRar5(raw: Buffer): Buffer {
  const placeholder = 'Q'.repeat(raw.length);
  const rar = patched(rarFile([{ name: placeholder, data: JS }], { version: 5 }), placeholder, raw);
  // The signature (8 bytes) and the main archive header (8) come first; then the file header's CRC and size.
  const size = rar[20] as number;
  rar.writeUInt32LE(crc32(rar.subarray(20, 21 + size)), 16);
  return rar;
}

// A RAR 4 archive of one stored file whose name's bytes are `raw`, flagged Unicode (0x200) without the NUL that
// would start RAR's own encoding: the name is UTF-8 (its header's CRC made right again).
function rawNamedRar4(raw: Buffer): Buffer {
  const placeholder = 'Q'.repeat(raw.length);
  const rar = patched(rarFile([{ name: placeholder, data: JS }]), placeholder, raw);
  // The signature (7 bytes) and the main archive header (13) come first.
  const head = rar.subarray(20, 20 + rar.readUInt16LE(25));
  head.writeUInt16LE(head.readUInt16LE(3) | 0x200, 3);
  head.writeUInt16LE(crc32(head.subarray(2)) & 0xffff, 0);
  return rar;
}

const DOT_2 = bytes('invoice', [0xc0, 0xae], 'js');
const S_2 = bytes('invoice.j', [0xc1, 0xb3]);
const DOT_3 = bytes('invoice', [0xe0, 0x80, 0xae], 'js');
const DOT_4 = bytes('invoice', [0xf0, 0x80, 0x80, 0xae], 'vbs');

describe('A62-2: an archive file name with an overlong UTF-8 form of an ASCII character', () => {
  attachmentTests(kit, {
    'zip: invoice<C0 AE>js (flagged UTF-8)': attachedFile('invoice.zip', rawNamedZip(DOT_2)),
    'zip: invoice.j<C1 B3>': attachedFile('invoice.zip', rawNamedZip(S_2)),
    'zip: invoice<E0 80 AE>js': attachedFile('invoice.zip', rawNamedZip(DOT_3)),
    'zip: invoice<F0 80 80 AE>vbs': attachedFile('invoice.zip', rawNamedZip(DOT_4)),
    // 7-Zip reads a name made on Unix as UTF-8 without the flag; one made on Windows in the OEM code page.
    'zip: invoice<C0 AE>js, made on Unix, not flagged UTF-8': attachedFile(
      'invoice.zip',
      rawNamedZip(DOT_2, { flag: false, unix: true }),
    ),
    'zip: invoice.txt with a Unicode Path of invoice<C0 AE>js': attachedFile(
      'invoice.zip',
      rawNamedZip(DOT_2, { unicodePath: true }),
    ),
    'zip named scan.pdf (found by its bytes)': attachedFile('scan.pdf', rawNamedZip(DOT_2)),
    'RAR 5: invoice<C0 AE>js': attachedFile('invoice.rar', rawNamedRar5(DOT_2)),
    'RAR 4 (a UTF-8 name): invoice<C0 AE>js': attachedFile('invoice.rar', rawNamedRar4(DOT_2)),
    'tar: invoice<C0 AE>js': attachedFile(
      'invoice.tar',
      tarArchive(tarEntry(DOT_2.toString('latin1'), JS, '0', USTAR_MAGIC)),
    ),
    'tar: invoice.txt with a pax path of invoice<C0 AE>js': attachedFile(
      'invoice.tar',
      tarArchive(
        paxHeader(paxRecord(`path=${DOT_2.toString('latin1')}`)),
        tarEntry('invoice.txt', JS, '0', USTAR_MAGIC),
      ),
    ),
  });
  it('(control) delivers zips of résumé.txt (UTF-8), R<82>sum<82>.txt (CP437) and ﾀｲﾄﾙ.txt (Shift_JIS), the last two not flagged', async () => {
    // Half-width katakana in Shift_JIS (`C0 B2 C4 D9`) hold byte pairs an overlong check would take for `2`, `Y`:
    // a name made on Windows and not flagged UTF-8 is read in the OEM code page, not as UTF-8.
    const katakana = bytes([0xc0, 0xb2, 0xc4, 0xd9], '.txt');
    for (const name of [Buffer.from('résumé.txt'), bytes('R', [0x82], 'sum', [0x82], '.txt'), katakana]) {
      const zip = patched(
        zipFile([{ name: 'Q'.repeat(name.length), data: 'just text\r\n', method: 0 }]),
        'Q'.repeat(name.length),
        name,
      );
      expect((await kit.inbound(attachedFile('notes.zip', zip)[0])).verdict, name.toString('latin1')).toBe(
        'DEFAULT',
      );
    }
  });
  it('(control) delivers a tar whose pax header holds a binary attribute', async () => {
    const tar = tarArchive(
      paxHeader(paxRecord('SCHILY.xattr.user.tag=\u00c0\u0080\u00e0\u0080\u00ae')),
      tarEntry('notes.txt', Buffer.from('just text\r\n'), '0', USTAR_MAGIC),
    );
    expect((await kit.inbound(attachedFile('notes.tar', tar)[0])).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a RAR 5 and a RAR 4 of résumé.txt', async () => {
    const rar5 = rarFile([{ name: 'résumé.txt', data: 'just text\r\n' }], { version: 5 });
    expect((await kit.inbound(attachedFile('notes.rar', rar5)[0])).verdict).toBe('DEFAULT');
    const rar4 = rarFile([{ name: 'résumé.txt', data: 'just text\r\n', unicode: true }]);
    expect((await kit.inbound(attachedFile('notes.rar', rar4)[0])).verdict).toBe('DEFAULT');
  });
});
