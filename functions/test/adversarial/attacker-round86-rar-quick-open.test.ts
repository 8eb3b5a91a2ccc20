import { rar5Header, rarFile, rarVint, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 86: a RAR 5 archive whose quick-open record (the `QO` service header the archive header's locator
// points to) holds a copy of a file header that names the file otherwise. unrar and WinRAR read headers from that
// cache when they extract (`QuickOpen::Read`): they extract `invoice.exe` (or `invoice.js`) where the header itself,
// which the guard read, names `invoice.pdf`. The guard listed the PDF name and delivered the archive.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00wmflow-86-1', 'latin1'), Buffer.alloc(100)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

// `compression` is the compression information field: 0 stored, 0x180 method 3 (compressed: named, not read).
function fileHeader(name: string, size: number, compression = 0): Buffer {
  const n = [...Buffer.from(name, 'utf8')];
  return rar5Header([
    2,
    0x2,
    ...rarVint(size),
    0,
    ...rarVint(size),
    0x20,
    ...rarVint(compression),
    0,
    n.length,
    ...n,
  ]);
}

/** One file under the header `stored`, and a quick-open record whose copy of that header is `cached`. */
function quickOpenRar(stored: string, cached: string, data: Buffer, compression = 0): Buffer {
  const sig = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
  const header = fileHeader(stored, data.length, compression);
  for (let offset = 0; ; ) {
    const locator = [1, 1, ...rarVint(offset)];
    const main = rar5Header([1, 0x1, locator.length + 1, 0, locator.length, ...locator]);
    const qoAt = sig.length + main.length + header.length + data.length;
    if (qoAt - sig.length !== offset) {
      offset = qoAt - sig.length;
      continue;
    }
    const copy = fileHeader(cached, data.length, compression);
    const record = rar5Header([
      0,
      ...rarVint(qoAt - (sig.length + main.length)),
      ...rarVint(copy.length),
      ...copy,
    ]);
    const qo = rar5Header([
      3,
      0x2,
      ...rarVint(record.length),
      0,
      ...rarVint(record.length),
      0,
      0,
      0,
      2,
      0x51,
      0x4f,
    ]);
    return Buffer.concat([sig, main, header, data, qo, record, rar5Header([5, 0, 0])]);
  }
}

describe('A86-1: a RAR 5 quick-open copy that renames a file for unrar and WinRAR', () => {
  attachmentTests(kit, {
    'a compressed file named invoice.pdf, cached as invoice.exe': attachedFile(
      'invoice.rar',
      quickOpenRar('invoice.pdf', 'invoice.exe', Buffer.from('compressed bytes wmflow-86-1'), 0x180),
    ),
    'a script named notes.txt, cached as notes.js': attachedFile(
      'notes.rar',
      quickOpenRar('notes.txt', 'notes.js', Buffer.from('WScript.Echo("wmflow-86-1")')),
    ),
    'the same RAR inside a zip': attachedFile(
      'docs.zip',
      zipFile([
        {
          name: 'invoice.rar',
          data: quickOpenRar('invoice.pdf', 'invoice.exe', Buffer.from('wmflow-86-1'), 0x180),
        },
      ]),
    ),
  });

  it('(held before) a stored executable under the renamed header is caught by its first bytes', async () => {
    const [message] = attachedFile('invoice.rar', quickOpenRar('invoice.pdf', 'invoice.exe', MZ));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });

  it('(control) delivers a RAR 5 whose quick-open copy is its header, as WinRAR writes it', async () => {
    const [message] = attachedFile('report.rar', quickOpenRar('report.pdf', 'report.pdf', PDF));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers a plain RAR 5 of a PDF, a zip of PDFs and a PDF', async () => {
    for (const [name, bytes] of [
      ['report.rar', rarFile([{ name: 'report.pdf', data: PDF }], { version: 5 })],
      [
        'reports.zip',
        zipFile([
          { name: 'a.pdf', data: PDF },
          { name: 'b.pdf', data: PDF },
        ]),
      ],
      ['report.pdf', PDF],
    ] as const) {
      const [message] = attachedFile(name, bytes);
      expect((await kit.inbound(message)).verdict, name).toBe('DEFAULT');
    }
  });
});
