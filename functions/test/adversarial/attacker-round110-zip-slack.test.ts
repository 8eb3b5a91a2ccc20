import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A110: a zip entry written with a data descriptor (flag 8) and deflated is read two ways. A reader of the central
// directory (7-Zip, unzip, Explorer, Python, the guard) takes its data as the compressed size the directory gives. A
// streaming extractor (Java's ZipInputStream, libarchive reading a stream) knows no size: the entry ends where its
// deflate stream ends, then comes its descriptor, then the next local header. Bytes between the stream's end and the
// directory's size are unseen by the first and, when they hold a descriptor and a local header, a file to the second:
// `notes.txt`, its deflate stream followed by a descriptor and the local header of `invoice.exe`, listed notes.txt
// alone to the guard, which delivered it. Round 78 refused every other local header the directory does not list; this
// one sat inside a listed file's data.
const kit = attackerKit(useLocalStack());

const MZ = Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode', 'latin1');

function localHeader(name: string, flags: number, method: number, data?: Buffer, stored = data): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(flags, 6);
  header.writeUInt16LE(method, 8);
  if (data && stored) {
    header.writeUInt32LE(crc32(data) >>> 0, 14);
    header.writeUInt32LE(stored.length, 18);
    header.writeUInt32LE(data.length, 22);
  }
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name)]);
}

function descriptor(crc: number, compressed: number, size: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(crc, 4);
  out.writeUInt32LE(compressed, 8);
  out.writeUInt32LE(size, 12);
  return out;
}

/**
 * A zip whose every file is deflated with a data descriptor (as a streaming writer makes one); `slack` is written after
 * the named file's deflate stream, inside the compressed size the directory gives it. `level` 0 deflates in stored
 * blocks (the file's bytes verbatim).
 */
function streamedZip(
  files: ReadonlyArray<{
    name: string;
    data: Buffer;
    slack?: Buffer;
    level?: number;
    method?: number;
    link?: boolean;
  }>,
): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data, slack, level, method = 8, link } of files) {
    const crc = crc32(data) >>> 0;
    // Another method's data is written as given (its compressed form, as far as the test needs).
    const packed = method === 8 ? deflateRawSync(data, { level: level ?? 6 }) : data;
    const span = Buffer.concat([packed, slack ?? Buffer.alloc(0)]);
    const local = Buffer.concat([
      localHeader(name, 8, method),
      span,
      descriptor(crc, span.length, data.length),
    ]);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    // Made by Unix, mode lrwxrwxrwx: a symbolic link.
    entry.writeUInt16LE(link ? 0x0314 : 20, 4);
    if (link) entry.writeUInt32LE(0xa1ff0000, 38);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(span.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(Buffer.byteLength(name), 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, Buffer.from(name));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NOTE = Buffer.from('see the attached invoice\n');
const noteCrc = crc32(NOTE) >>> 0;
const noteSize = deflateRawSync(NOTE).length;
/** The descriptor a streaming extractor reads after the note's deflate stream, then a stored `invoice.exe`. */
const hiddenExe = (name = 'invoice.exe', signed = true) =>
  Buffer.concat([
    signed
      ? descriptor(noteCrc, noteSize, NOTE.length)
      : descriptor(noteCrc, noteSize, NOTE.length).subarray(4),
    localHeader(name, 0, 0, MZ),
    MZ,
  ]);

describe('A110: a file hidden after a deflate stream, inside the size the directory gives', () => {
  attachmentTests(kit, {
    'a local header after the deflate stream and its descriptor': attachedFile(
      'notes.zip',
      streamedZip([{ name: 'notes.txt', data: NOTE, slack: hiddenExe() }]),
    ),
    'the descriptor without its signature, the file named harmlessly (its content an executable)':
      attachedFile(
        'notes.zip',
        streamedZip([{ name: 'notes.txt', data: NOTE, slack: hiddenExe('readme', false) }]),
      ),
    'in the second of two files': attachedFile(
      'notes.zip',
      streamedZip([
        { name: 'a.txt', data: Buffer.from('first\n') },
        { name: 'notes.txt', data: NOTE, slack: hiddenExe() },
      ]),
    ),
    'a symbolic link compressed with bzip2 (method 12), a local header in its data': attachedFile(
      'notes.zip',
      streamedZip([
        {
          name: 'notes',
          data: Buffer.from('BZh91AY&SYnotes.txt'),
          method: 12,
          link: true,
          slack: hiddenExe(),
        },
      ]),
    ),
    'in a zip inside a zip': attachedFile(
      'notes.zip',
      zipFile([
        { name: 'inner.zip', data: streamedZip([{ name: 'notes.txt', data: NOTE, slack: hiddenExe() }]) },
      ]),
    ),
  });
});

describe('A110 outbound: card numbers in a file hidden after a deflate stream', () => {
  const cards = Buffer.from('name,card\nJane Doe,4111 1111 1111 1111\n');
  const hidden = Buffer.concat([
    descriptor(noteCrc, noteSize, NOTE.length),
    localHeader('cards.csv', 0, 0, cards),
    cards,
  ]);
  it('is not sent (the DLP reads the zip as the guard does)', async () => {
    const zip = streamedZip([{ name: 'notes.txt', data: NOTE, slack: hidden }]);
    expect(await kit.outbound(outboundFile('notes.zip', zip))).toBe('BOUNCE');
  });
  it('(control) a zip of a note, written with data descriptors, is sent', async () => {
    const zip = streamedZip([{ name: 'notes.txt', data: NOTE }]);
    expect(await kit.outbound(outboundFile('notes.zip', zip))).toBe('DEFAULT');
  });
});

describe('A110 controls: zips written by streaming writers', () => {
  it('(control) delivers a zip of a text file and a photo, each with a data descriptor', async () => {
    const photo = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(4000, 7)]);
    const [message] = attachedFile(
      'photos.zip',
      streamedZip([
        { name: 'notes.txt', data: NOTE },
        { name: 'IMG_0001.jpg', data: photo },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a zip holding a zip deflated in stored blocks (its local headers verbatim in the data)', async () => {
    const inner = zipFile([
      { name: 'IMG_0001.jpg', data: Buffer.from('ffd8ffe000104a464946', 'hex'), method: 0 },
      { name: 'notes.txt', data: NOTE, method: 0 },
    ]);
    const [message] = attachedFile(
      'album.zip',
      // A photo after it: an end record in the last 64 KiB is a second one (refused since an earlier round).
      streamedZip([
        { name: 'photos.zip', data: inner, level: 0 },
        { name: 'IMG_0002.jpg', data: randomBytes(70_000) },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a docx-like zip whose parts carry data descriptors', async () => {
    const [message] = attachedFile(
      'report.docx',
      streamedZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: Buffer.from('<w:document><w:t>hello</w:t></w:document>') },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
