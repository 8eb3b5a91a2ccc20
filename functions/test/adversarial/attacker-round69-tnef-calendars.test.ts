import { tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 69, A69-4: a winmail.dat file's property list may hold its content (`PidTagAttachDataBinary`) more
// than once, as several properties or one multi-valued one; every value is sniffed (a client may read any of them,
// the last one written, say), but only the first value that read as a calendar was kept as the file's calendar: a
// harmless invitation first hid a second one attaching an executable.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(54)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const HTA = Buffer.from(
  '<html><head><hta:application id="x"/></head><body><script>close()</script></body></html>',
);

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Invoice review',
    'DTSTART:20261201T100000Z',
    'UID:69-4@evil.example',
    attach,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
const inline = (name: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${data.toString('base64')}`;
const unnamed = (type: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=${type}:${data.toString('base64')}`;

const PT_BINARY = 0x0102;
const MULTIPLE = 0x1000;
const ATTACH_DATA = 0x3701;

/** A raw MAPI property list: a count, then each property (tag, value count, values padded to 4 bytes). */
function propertyList(properties: ReadonlyArray<[type: number, id: number, values: Buffer[]]>): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(properties.length, 0);
  const parts: Buffer[] = [count];
  for (const [type, id, values] of properties) {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(type, 0);
    head.writeUInt16LE(id, 2);
    head.writeUInt32LE(values.length, 4);
    parts.push(head);
    for (const value of values) {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(value.length, 0);
      parts.push(length, value, Buffer.alloc((4 - (value.length % 4)) % 4));
    }
  }
  return Buffer.concat(parts);
}

const first = Buffer.from(ics(inline('Agenda.pdf', PDF)));
const winmail = (rawProperties: Buffer) =>
  attachedFile(
    'winmail.dat',
    tnefStream([{ title: 'invite.ics', longName: 'invite.ics', rawProperties }]),
    'application/ms-tnef',
  );

describe('A69-4: a second calendar value of a winmail.dat file', () => {
  attachmentTests(kit, {
    'two PidTagAttachDataBinary, the second attaching invoice.exe': winmail(
      propertyList([
        [PT_BINARY, ATTACH_DATA, [first]],
        [PT_BINARY, ATTACH_DATA, [Buffer.from(ics(inline('invoice.exe', MZ)))]],
      ]),
    ),
    'a multi-valued PidTagAttachDataBinary, the second an unnamed FMTTYPE=application/hta': winmail(
      propertyList([
        [PT_BINARY | MULTIPLE, ATTACH_DATA, [first, Buffer.from(ics(unnamed('application/hta', HTA)))]],
      ]),
    ),
    'two values, the second linking to invoice.exe': winmail(
      propertyList([
        [
          PT_BINARY | MULTIPLE,
          ATTACH_DATA,
          [first, Buffer.from(ics('ATTACH:https://evil.example/invoice.exe'))],
        ],
      ]),
    ),
  });

  it('(control) delivers a file whose values are two harmless invitations', async () => {
    const message = winmail(
      propertyList([
        [PT_BINARY | MULTIPLE, ATTACH_DATA, [first, Buffer.from(ics(unnamed('application/pdf', PDF)))]],
      ]),
    );
    expect((await kit.inbound(message[0])).verdict).toBe('DEFAULT');
  });
});
