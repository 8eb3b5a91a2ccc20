import { tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 62, A62-5: a file in a winmail.dat (TNEF) attached by reference (PidTagAttachMethod 2, 3 or 4)
// is a path, PidTagAttachLongPathname, that Outlook opens in the attachment's place: a UNC or WebDAV share, a folder
// there (Explorer shows the sender's files), an address. Its names were read (a path to `invoice.js` was refused),
// but a path to a folder, to a file without an extension or to an address was delivered, though what opens is not
// in the message (A62-4 is the same for Thunderbird). Such an attachment is now a problem of the winmail.dat.
const stack = useLocalStack();
const kit = attackerKit(stack);

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
// One PT_UNICODE property (a count of one, the length, the UTF-16 value with its NUL, padded to 4).
function unicode(id: number, text: string): Buffer {
  const value = Buffer.from(`${text}\0`, 'utf16le');
  return Buffer.concat([
    u16(0x001f),
    u16(id),
    u32(1),
    u32(value.length),
    value,
    Buffer.alloc((4 - (value.length % 4)) % 4),
  ]);
}
// An attachment's property list: its method, its long path name and its long file name (shown by Outlook).
const byReference = (path: string, method = 2) =>
  Buffer.concat([
    u32(3),
    u16(0x0003),
    u16(0x3705),
    u32(method),
    unicode(0x370d, path),
    unicode(0x3707, 'invoice.pdf'),
  ]);
const winmail = (path: string, method = 2) =>
  attachedFile(
    'winmail.dat',
    tnefStream([{ title: 'invoice.pdf', rawProperties: byReference(path, method) }]),
    'application/ms-tnef',
  );

describe('A62-5: a TNEF attachment by reference (Outlook opens its path)', () => {
  attachmentTests(kit, {
    'a folder on a share: \\\\files.evil.example\\share\\': winmail('\\\\files.evil.example\\share\\'),
    'a WebDAV file without an extension': winmail('\\\\files.evil.example@SSL\\dav\\invoice'),
    'an address (afByRefOnly)': winmail('https://files.evil.example/invoice', 4),
    'a share file named like a PDF (afByRefResolve)': winmail(
      '\\\\files.evil.example\\share\\invoice.pdf',
      3,
    ),
  });
  it('(held) bounces a path to \\\\files.evil.example\\share\\invoice.js (its name counts)', async () => {
    expect((await kit.inbound(winmail('\\\\files.evil.example\\share\\invoice.js')[0])).verdict).toBe(
      'BOUNCE',
    );
  });
  it('(control) delivers a winmail.dat holding invoice.pdf by value', async () => {
    const stream = tnefStream([
      { title: 'invoice.pdf', longName: 'invoice.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n'), method: 1 },
    ]);
    expect((await kit.inbound(attachedFile('winmail.dat', stream, 'application/ms-tnef')[0])).verdict).toBe(
      'DEFAULT',
    );
  });
});
