import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 64, A64-1: an AppleSingle file (RFC 1740, `application/applefile`) is a header of entries (data fork,
// resource fork, real name, Finder info…) with the file's bytes at the offsets its descriptors give. Apple Mail
// decodes such a part into the file its data fork holds (MCMimePart decodeApplicationApplefile), named by the part
// or by the real-name entry, as metamail's rcvAppleSingle and Mozilla's nsDecodeAppleFile do; an AppleDouble header
// (the first part of a multipart/appledouble) names the file of the part after it. The guard sniffed the part's own
// first bytes (the AppleSingle magic) and read only its MIME names: an executable, an archive or a `.command`
// script in the data fork was delivered.
const stack = useLocalStack();
const kit = attackerKit(stack);

const APPLE_SINGLE = 0x00051600;
const APPLE_DOUBLE = 0x00051607;
const DATA_FORK = 1;
const REAL_NAME = 3;
const FINDER_INFO = 9;
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120, 0)]);
const SCRIPT = Buffer.from('#!/bin/sh\nopen -a Calculator\n');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** An AppleSingle (or AppleDouble) file of these entries, laid out after the header in order. */
function appleFile(
  entries: ReadonlyArray<[id: number, data: Buffer]>,
  magic = APPLE_SINGLE,
  cut = 0,
): Buffer {
  const head = Buffer.alloc(26 + 12 * entries.length);
  head.writeUInt32BE(magic, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.writeUInt16BE(entries.length, 24);
  let offset = head.length;
  entries.forEach(([id, data], i) => {
    head.writeUInt32BE(id, 26 + 12 * i);
    head.writeUInt32BE(offset, 30 + 12 * i);
    head.writeUInt32BE(data.length, 34 + 12 * i);
    offset += data.length;
  });
  const whole = Buffer.concat([head, ...entries.map(([, data]) => data)]);
  return whole.subarray(0, whole.length - cut);
}

const finderInfo = (type: string, creator: string) =>
  Buffer.concat([Buffer.from(type + creator, 'latin1'), Buffer.alloc(24)]);

/** A message with `file` as an `application/applefile` part named `name`, and its base64 that must not be delivered. */
function applefile(name: string, file: Buffer): [Buffer, string] {
  const body = file.toString('base64');
  const part = `Content-Type: application/applefile; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

/** The AppleDouble header of a file named `realName`. */
const doubleHeader = (realName: string) =>
  appleFile(
    [
      [REAL_NAME, Buffer.from(realName)],
      [FINDER_INFO, finderInfo('TEXT', 'ttxt')],
    ],
    APPLE_DOUBLE,
  );

/** A multipart/appledouble of an AppleDouble header naming `realName` and a data part named `name`. */
function appleDouble(
  realName: string,
  name: string,
  data: Buffer,
  type = 'application/octet-stream',
): Buffer {
  const header = doubleHeader(realName);
  const part = [
    'Content-Type: multipart/appledouble; boundary="d"',
    '',
    '--d',
    `Content-Type: application/applefile; name="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    header.toString('base64'),
    '--d',
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    data.toString('base64'),
    '--d--',
  ].join('\r\n');
  return mail([MIXED], withPart(part));
}

describe('A64-1: the file inside an AppleSingle part', () => {
  const zip = zipFile([{ name: 'invoice.js', data: 'WScript.Echo(1)' }]);
  attachmentTests(kit, {
    'an executable in the data fork of invoice.pdf': applefile(
      'invoice.pdf',
      appleFile([
        [REAL_NAME, Buffer.from('invoice.pdf')],
        [DATA_FORK, MZ],
      ]),
    ),
    'a Mach-O binary in the data fork, no real name': applefile(
      'Invoice',
      appleFile([[DATA_FORK, Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.alloc(60)])]]),
    ),
    'a .command script named by the real-name entry': applefile(
      'Invoice',
      appleFile([
        [REAL_NAME, Buffer.from('Invoice.command')],
        [FINDER_INFO, finderInfo('TEXT', 'ttxt')],
        [DATA_FORK, SCRIPT],
      ]),
    ),
    'a zip holding invoice.js in the data fork': applefile(
      'Invoice',
      appleFile([
        [REAL_NAME, Buffer.from('Invoice.zip')],
        [DATA_FORK, zip],
      ]),
    ),
    'an executable in a data fork written before the real name': applefile(
      'scan.pdf',
      appleFile([
        [DATA_FORK, MZ],
        [REAL_NAME, Buffer.from('scan.pdf')],
      ]),
    ),
    'an AppleSingle file cut short inside its data fork': applefile(
      'report.pdf',
      appleFile(
        [
          [REAL_NAME, Buffer.from('report.pdf')],
          [DATA_FORK, PDF],
        ],
        APPLE_SINGLE,
        10,
      ),
    ),
    // Stripped, the header goes (with the name it gives); the data part stays, saved under its own name.
    'an AppleDouble header naming invoice.js beside invoice.txt': [
      appleDouble('invoice.js', 'invoice.txt', Buffer.from('WScript.Echo(1)'), 'text/plain'),
      doubleHeader('invoice.js').toString('base64').slice(0, 60),
    ],
  });

  it('(control) delivers a Mac-sent PDF as multipart/appledouble', async () => {
    const message = appleDouble('Report.pdf', 'Report.pdf', PDF, 'application/pdf');
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers an AppleSingle PDF', async () => {
    const [message] = applefile(
      'Report.pdf',
      appleFile([
        [REAL_NAME, Buffer.from('Report.pdf')],
        [FINDER_INFO, finderInfo('PDF ', 'prvw')],
        [DATA_FORK, PDF],
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers files whose first byte is 0 but that are no AppleSingle file (an icon, a video)', async () => {
    const icon = Buffer.concat([Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]), Buffer.alloc(64, 7)]);
    const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42', 'latin1'), Buffer.alloc(64, 1)]);
    for (const [name, data] of [
      ['favicon.ico', icon],
      ['clip.mp4', video],
    ] as const) {
      const part = `Content-Type: application/octet-stream; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${data.toString('base64')}`;
      expect((await kit.inbound(mail([MIXED], withPart(part)))).verdict, name).toBe('DEFAULT');
    }
  });
});
