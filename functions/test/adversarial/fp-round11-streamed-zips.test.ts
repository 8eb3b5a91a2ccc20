import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipFile } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 11: attacker round 110 inflates a zip entry of unknown size (data descriptor, flag 8) whose
// data holds a local header's signature, and refuses the archive when its deflate stream ends early. Ordinary zips
// written by streaming writers, made here by the real tools (Python's zipfile to a non-seekable stream, Info-ZIP's
// `zip -` into a pipe, Java's `jar`), holding a zip and a .docx (their bytes hold `PK\x03\x04`; a zip of a photo
// deflated in stored blocks, so verbatim) and random data holding the signature, must be delivered and sent.
const kit = attackerKit(useLocalStack());

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const PYTHON = `
import io, os, sys, zipfile
class Pipe(io.RawIOBase):
    def __init__(self): self.b = bytearray()
    def writable(self): return True
    def write(self, d): self.b += d; return len(d)
    def seekable(self): return False
    def tell(self): raise OSError
pipe = Pipe()
with zipfile.ZipFile(pipe, 'w', zipfile.ZIP_DEFLATED) as z:
    for name in sys.argv[2:]:
        with z.open(name, 'w') as f: f.write(open(name, 'rb').read())
    with z.open('data.bin', 'w') as f: f.write(os.urandom(30000) + b'PK\\x03\\x04' + os.urandom(30000))
open(sys.argv[1], 'wb').write(bytes(pipe.b))
`;

let dir = '';
const FILES = ['notes.txt', 'report.docx', 'photos.zip', 'photo.jpg'];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fp-round11-'));
  const photo = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), randomBytes(70_000)]);
  writeFileSync(join(dir, 'notes.txt'), 'Minutes of the meeting\n'.repeat(40));
  writeFileSync(join(dir, 'photo.jpg'), photo);
  writeFileSync(
    join(dir, 'report.docx'),
    zipFile([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document><w:t>hello</w:t></w:document>') },
    ]),
  );
  // A zip of a photo, stored: its local headers and random bytes deflate in stored blocks, verbatim.
  writeFileSync(join(dir, 'photos.zip'), zipFile([{ name: 'IMG_0001.jpg', data: photo, method: 0 }]));
  mkdirSync(join(dir, 'out'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const made: Array<[string, string, () => Buffer]> = [
  [
    "Python's zipfile to a non-seekable stream",
    'python3',
    () => {
      execFileSync('python3', ['-c', PYTHON, 'out/python.zip', ...FILES], { cwd: dir });
      return readFileSync(join(dir, 'out/python.zip'));
    },
  ],
  [
    "Info-ZIP's zip - into a pipe",
    'zip',
    () => {
      execFileSync('sh', ['-c', `zip -q - ${FILES.join(' ')} | cat > out/pipe.zip`], { cwd: dir });
      return readFileSync(join(dir, 'out/pipe.zip'));
    },
  ],
  [
    "Java's jar (ZipOutputStream)",
    'jar',
    () => {
      execFileSync('jar', ['cf', 'out/app.jar', ...FILES], { cwd: dir });
      return readFileSync(join(dir, 'out/app.jar'));
    },
  ],
];

/** Whether some entry with a data descriptor holds a local header's signature in its data (the new check runs). */
function descriptorDataHoldsSignature(zip: Buffer): boolean {
  for (let at = zip.indexOf('PK\x03\x04'); at >= 0; at = zip.indexOf('PK\x03\x04', at + 4)) {
    if ((zip.readUInt16LE(at + 6) & 8) === 0) continue;
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const next = zip.indexOf('PK\x07\x08', start);
    if (next > start && zip.subarray(start, next).includes('PK\x03\x04')) return true;
  }
  return false;
}

describe('fp-round11: zips written by streaming writers holding a zip, a .docx, random data', () => {
  for (const [writer, tool, make] of made)
    it.skipIf(!has(tool))(`${writer}: delivered, and sent past the DLP`, async () => {
      const zip = make();
      expect(descriptorDataHoldsSignature(zip)).toBe(true);
      const [message] = attachedFile('files.zip', zip);
      expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
      expect(await kit.outbound(outboundFile('files.zip', zip))).toBe('DEFAULT');
    });
});

// Kept on purpose (attacker round 110's bought cost): an entry of unknown size holding a local header's signature is
// inflated to find where its stream ends, within the decoded-bytes budget (64 MiB for the guard); one decoding to
// more (here a 70 MB log with a binary dump in it, deflated in stored blocks there, by a streaming writer; before round
// 110 it was delivered, its head read) cannot be told, and the archive
// is unlisted, bounced at the defaults. What to do: `ALLOW_UNLISTED_ARCHIVES` delivers it (its names still checked).
describe('fp-round11 (control): a streamed entry decoding past the budget, holding the signature', () => {
  const BIG = `
import io, os, sys, zipfile
class Pipe(io.RawIOBase):
    def __init__(self): self.b = bytearray()
    def writable(self): return True
    def write(self, d): self.b += d; return len(d)
    def seekable(self): return False
    def tell(self): raise OSError
pipe = Pipe()
line = b'2026-12-07T10:00:00Z INFO request served in 12 ms from 192.0.2.1\\n'
with zipfile.ZipFile(pipe, 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open('server.log', 'w') as f:
        f.write(line * 1000)
        f.write(os.urandom(100_000) + b'PK\\x03\\x04' + os.urandom(100_000))
        f.write(line * (70_000_000 // len(line)))
open(sys.argv[1], 'wb').write(bytes(pipe.b))
`;
  it.skipIf(!has('python3'))(
    'bounced at the defaults; delivered under ALLOW_UNLISTED_ARCHIVES',
    async () => {
      execFileSync('python3', ['-c', BIG, 'out/logs.zip'], { cwd: dir });
      const zip = readFileSync(join(dir, 'out/logs.zip'));
      expect(descriptorDataHoldsSignature(zip)).toBe(true);
      const [message] = attachedFile('logs.zip', zip);
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
      expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
    },
    60_000,
  );
});

// Found beside the round: Info-ZIP stores a .zip as it is (its suffix list), so a zip whose last file is a zip holds
// that zip's end record in its last 64 KiB; it was refused as "two end records" though every reader (searching from
// the end, or checking the comment's length) takes the outer one. A second end record is refused only where a
// reader could take it: one whose comment reaches the end of the file, or the last one's comment not reaching it.
describe('fp-round11: a zip whose last file is a zip, stored', () => {
  it.skipIf(!has('zip'))('zip (to a file and into a pipe): delivered, and sent past the DLP', async () => {
    execFileSync('sh', ['-c', 'zip -q out/plain.zip notes.txt report.docx photos.zip'], { cwd: dir });
    execFileSync('sh', ['-c', 'zip -q - notes.txt photos.zip | cat > out/piped.zip'], { cwd: dir });
    for (const name of ['plain.zip', 'piped.zip']) {
      const zip = readFileSync(join(dir, 'out', name));
      const [message] = attachedFile(name, zip);
      expect((await kit.inbound(message)).verdict, name).toBe('DEFAULT');
      expect(await kit.outbound(outboundFile(name, zip)), name).toBe('DEFAULT');
    }
  });
});
