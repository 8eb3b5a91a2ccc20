import { tnefStream, uuencode } from '@wmflow/core/testing';
import { base64, executable, type HostileCase, leaf, message, multipart, TEXT } from './hostile-build.js';

/** A winmail.dat part (base64) holding `stream`, under the given content headers. */
export function tnefPart(
  stream: Buffer,
  headers = ['Content-Type: application/ms-tnef; name="winmail.dat"'],
): { part: string; payload: string } {
  const body = base64(stream);
  return {
    part: leaf([...headers, 'Content-Disposition: attachment', 'Content-Transfer-Encoding: base64'], body),
    payload: body.split('\r\n')[0] ?? body,
  };
}

function tnefCase(
  name: string,
  stream: Buffer,
  strip: HostileCase['strip'],
  headers?: string[],
): HostileCase {
  const winmail = tnefPart(stream, headers);
  return {
    threat: 'unseen-parts',
    name,
    message: message(multipart('b', [TEXT, winmail.part])),
    payload: winmail.payload,
    strip,
  };
}

// A long name written as PT_BINARY holding 8-bit bytes: MimeKit reads any blob as a string.
function binaryLongName(name: string): Buffer {
  const stream = Buffer.from(tnefStream([{ title: 'REPORT.PDF', longName: 'x'.repeat(name.length) }]));
  const at = stream.indexOf(Buffer.from('x'.repeat(name.length), 'utf16le'));
  stream.writeUInt16LE(0x0102, at - 12);
  stream.fill(0, at, at + 2 * name.length).write(name, at, 'latin1');
  return stream;
}

// A stream whose 8-bit strings declare UTF-7 (attOemCodepage 65000): Exchange and MimeKit decode the title
// INVOICE+AC4-EXE as INVOICE.EXE.
function utf7Title(): Buffer {
  const stream = tnefStream([{ title: 'INVOICE+AC4-EXE' }]);
  const codePage = Buffer.from([
    0x01, 0x07, 0x90, 0x06, 0x00, 8, 0, 0, 0, 0xe8, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0,
  ]);
  return Buffer.concat([stream.subarray(0, 6), codePage, stream.subarray(6)]);
}

// attAttachTitle's id with another type word (0x00068010): the tnef tool goes by the low 16 bits alone.
function retypedTitle(title: string): Buffer {
  const stream = Buffer.from(tnefStream([{ title }]));
  stream.writeUInt16LE(0x0006, stream.indexOf(Buffer.from(title)) - 6);
  return stream;
}

// An attAttachment whose one property is named by number 0x3707 (PidTagAttachLongFilename's id): the tnef
// tool takes the number for the id and names the file by it.
function numberedLongName(name: string): Buffer {
  const value = Buffer.from(`${name}\0`, 'latin1');
  const list = Buffer.alloc(40 + value.length + 3);
  list.writeUInt32LE(1, 0);
  list.writeUInt16LE(0x001e, 4); // PT_STRING8
  list.writeUInt16LE(0x8001, 6); // named, GUID at 8 (zeros), kind 0 at 24
  list.writeUInt32LE(0x3707, 28);
  list.writeUInt32LE(1, 32);
  list.writeUInt32LE(value.length, 36);
  value.copy(list, 40);
  return tnefStream([{ title: 'NOTE.TXT', rawProperties: list }]);
}

/**
 * Files inside TNEF (Outlook's rich-text `winmail.dat`), which Outlook and other clients unpack and offer
 * as attachments: the part walk reads their names and first bytes; what it cannot read whole is refused.
 */
export function tnefCases(): HostileCase[] {
  const whole = tnefStream([{ title: 'INVOICE.EXE', data: executable('tnef-cut') }]);
  return [
    tnefCase('winmail.dat holding an .exe (its title)', tnefStream([{ title: 'INVOICE.EXE' }]), 'removed'),
    tnefCase(
      'winmail.dat holding a .vbs by its long name only',
      tnefStream([{ title: 'INVOIC~1.TXT', longName: 'invoice.txt.vbs', data: Buffer.from('MsgBox 1') }]),
      'removed',
    ),
    tnefCase(
      'winmail.dat holding a .pdf whose content is an executable',
      tnefStream([{ title: 'REPORT.PDF', longName: 'report.pdf', data: executable('tnef-mz') }]),
      'removed',
    ),
    tnefCase(
      'winmail.dat holding a .pdf whose second attAttachData is an executable',
      tnefStream([{ title: 'REPORT.PDF', data: [Buffer.from('%PDF-1.7 cover'), executable('tnef-second')] }]),
      'removed',
    ),
    tnefCase(
      'winmail.dat holding a .pdf whose PidTagAttachDataBinary is an executable',
      tnefStream([
        { title: 'REPORT.PDF', data: Buffer.from('%PDF-1.7'), dataProperty: executable('tnef-prop') },
      ]),
      'removed',
    ),
    tnefCase(
      'winmail.dat holding a .vbs by a long name written as binary',
      binaryLongName('run.vbs'),
      'removed',
    ),
    tnefCase(
      'winmail.dat whose PidTagAttachDataBinary holds an executable after 16 bytes (ytnef saves it from there)',
      tnefStream([
        { title: 'REPORT.PDF', dataProperty: Buffer.concat([Buffer.alloc(16, 0x41), executable('tnef-16')]) },
      ]),
      'removed',
    ),
    tnefCase(
      'winmail.dat whose file content is itself a TNEF stream holding an .exe (ytnef unpacks it)',
      tnefStream([{ title: 'NOTE.TXT', data: tnefStream([{ title: 'SETUP.EXE' }]) }]),
      'removed',
    ),
    tnefCase(
      'winmail.dat whose PidTagAttachDataBinary is an object id and a TNEF stream holding a .js',
      tnefStream([
        {
          title: 'NOTE.TXT',
          dataProperty: Buffer.concat([Buffer.alloc(16), tnefStream([{ title: 'A.JS' }])]),
        },
      ]),
      'removed',
    ),
    tnefCase(
      'an .exe inside a message attached inside winmail.dat',
      tnefStream([{ message: [{ title: 'SETUP.EXE', data: executable('tnef-nested') }] }]),
      'removed',
    ),
    tnefCase(
      'TNEF bytes in an octet-stream named report.bin',
      tnefStream([{ title: 'RUN.HTA' }]),
      'removed',
      ['Content-Type: application/octet-stream; name="report.bin"'],
    ),
    tnefCase('winmail.dat cut short inside an attribute', whole.subarray(0, whole.length - 20), 'bounce'),
    tnefCase(
      'winmail.dat holding a .scr by a title whose id has another type word',
      retypedTitle('PIC.SCR'),
      'removed',
    ),
    tnefCase(
      'winmail.dat holding an .hta by a named property numbered 0x3707',
      numberedLongName('x.hta'),
      'removed',
    ),
    tnefCase(
      'application/ms-tnef whose first 4 bytes are not the signature (MimeKit reads on in its loose mode)',
      Buffer.concat([Buffer.from('MIME'), tnefStream([{ title: 'EVIL.EXE' }]).subarray(4)]),
      'removed',
    ),
    tnefCase('winmail.dat whose names are in UTF-7 (its OEM code page)', utf7Title(), 'bounce'),
    (() => {
      const body = uuencode(tnefStream([{ title: 'EVIL.EXE' }]), 'winmail.dat');
      const part = leaf(
        ['Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding: x-uuencode'],
        body,
      );
      const name = 'winmail.dat in x-uuencode (MimeKit decodes it and unpacks the TNEF)';
      const payload = body.split('\r\n')[1] ?? body;
      return {
        threat: 'unseen-parts',
        name,
        message: message(multipart('b', [TEXT, part])),
        payload,
        strip: 'bounce',
      };
    })(),
    tnefCase('winmail.dat holding an OLE object', tnefStream([{ title: 'DOC.DOC', method: 6 }]), 'bounce'),
  ];
}
