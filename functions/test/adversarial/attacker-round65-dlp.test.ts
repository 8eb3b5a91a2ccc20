import { gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 65 (DLP, careless or hostile insider).
// A65-1: an iCalendar TEXT value writes a comma or semicolon escaped (`DESCRIPTION:4111\,1111\,1111\,1111`): the
// calendar shows `4111,1111,1111,1111`, a number anyone reads. Commas do not join digit groups in the card finder
// (CSV columns, thousands), so a calendar value's commas and semicolons are also read as spaces. A JSON file's
// strings are shown by a viewer with their escapes undone (`4111\u00a01111…`, `\u2013`, `\u0034`): a text with
// JSON escapes is also read undone.
// A65-2: an AppleSingle part (`application/applefile`) is saved by Apple Mail as the file in its data fork (the
// guard reads it so since round 64): a zip or gzip of a card list there was not unpacked by the DLP. A calendar
// ATTACH marked `VALUE=BINARY` with no ENCODING (lenient readers decode it as base64) was not decoded. A `.uue` file
// whose begin line the DLP does not read (`BEGIN 644`), which WinRAR and WinZip may open, left unread.
// A65-7: WinZip opens `.xxe` (XXencoded), `.b64` and `.mim` (base64) files as archives of the files they encode (the
// guard refuses them by extension since round 64). The DLP read their text as it stands: a zip or gzip of a card
// list so encoded left. A plain `.b64` or `.mim` is now decoded and read as the file it holds; an `.xxe` is unread.
const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD_TEXT = 'card 4111 1111 1111 1111 exp 12/29\n';
const calendar = (line: string) =>
  Buffer.from(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'SUMMARY:Booking',
      'DTSTART:20261201T100000Z',
      'UID:65-1@corp.example',
      line,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

/** An AppleSingle file of these entries (1 data fork, 3 real name), laid out after the header. */
function appleSingle(entries: ReadonlyArray<[id: number, data: Buffer]>): Buffer {
  const head = Buffer.alloc(26 + 12 * entries.length);
  head.writeUInt32BE(0x00051600, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.writeUInt16BE(entries.length, 24);
  let offset = head.length;
  entries.forEach(([id, data], i) => {
    head.writeUInt32BE(id, 26 + 12 * i);
    head.writeUInt32BE(offset, 30 + 12 * i);
    head.writeUInt32BE(data.length, 34 + 12 * i);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map(([, data]) => data)]);
}

const UU = (v: number) => String.fromCharCode(v === 0 ? 96 : 32 + v);
const XX = (v: number) => '+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[v] as string;

/** `bytes` uuencoded (or, with `XX`, XXencoded): 45 bytes a line, a line of no bytes and `end` after them. */
function uuencode(bytes: Buffer, alphabet = UU): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 45) {
    const line = bytes.subarray(i, i + 45);
    out += alphabet(line.length);
    for (let j = 0; j < line.length; j += 3) {
      const n = ((line[j] ?? 0) << 16) | ((line[j + 1] ?? 0) << 8) | (line[j + 2] ?? 0);
      for (const shift of [18, 12, 6, 0]) out += alphabet((n >> shift) & 63);
    }
    out += '\n';
  }
  return `${out}${alphabet(0)}\nend\n`;
}

describe('A65-1: separators a calendar or JSON viewer shows, written escaped', () => {
  const cases: Record<string, [string, Buffer, string]> = {
    'an .ics value with escaped commas': [
      'booking.ics',
      calendar('DESCRIPTION:Card 4111\\,1111\\,1111\\,1111'),
      'text/calendar',
    ],
    'an .ics value with escaped semicolons': [
      'booking.ics',
      calendar('DESCRIPTION:4111\\;1111\\;1111\\;1111'),
      'text/calendar',
    ],
    'an .ics value with escaped commas, sent as octet-stream': [
      'booking.ics',
      calendar('LOCATION:4111\\, 1111\\, 1111\\, 1111'),
      'application/octet-stream',
    ],
    'a .json string with \\u00a0 between the groups': [
      'card.json',
      Buffer.from('{"pan":"4111\\u00a01111\\u00a01111\\u00a01111"}'),
      'application/json',
    ],
    'a .json string with \\u2013 between the groups': [
      'card.json',
      Buffer.from('{"pan":"4111\\u20131111\\u20131111\\u20131111"}'),
      'application/octet-stream',
    ],
    'a .json string with its digits escaped': [
      'card.json',
      Buffer.from('{"pan":"\\u0034\\u0031\\u0031\\u0031 1111 1111 1111"}'),
      'application/json',
    ],
  };
  for (const [name, [file, bytes, type]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes, type))).toBe('BOUNCE');
    });
  it('(control) sends a calendar with lists of small numbers and a JSON file with escapes', async () => {
    const ics = calendar('DESCRIPTION:Rooms 4111\\, 1112\\, 1113; floors 1\\;2\\;3 (budget 4\\,111\\,111)');
    expect(await kit.outbound(outboundFile('rooms.ics', ics, 'text/calendar'))).toBe('DEFAULT');
    const json = Buffer.from(
      '{"note":"caf\\u00e9\\n2026\\u20132027","path":"C:\\\\tmp","ids":[4111,1111,1111,1112]}',
    );
    expect(await kit.outbound(outboundFile('data.json', json, 'application/json'))).toBe('DEFAULT');
  });
});

describe('A65-2: files the DLP did not open as clients do (AppleSingle data forks, .uue files)', () => {
  const zip = zipFile([{ name: 'cards.txt', data: CARD_TEXT }]);
  const cases: Record<string, [string, Buffer, string]> = {
    'a zip of a card list in an AppleSingle data fork': [
      'Cards',
      appleSingle([
        [3, Buffer.from('Cards.zip')],
        [1, zip],
      ]),
      'application/applefile',
    ],
    'a gzip of a card list in an AppleSingle data fork, sent as octet-stream': [
      'cards',
      appleSingle([
        [3, Buffer.from('cards.txt.gz')],
        [1, gzipSync(CARD_TEXT)],
      ]),
      'application/octet-stream',
    ],
    'a zip of a card list in a calendar ATTACH marked only VALUE=BINARY': [
      'booking.ics',
      calendar(`ATTACH;VALUE=BINARY;X-FILENAME=cards.zip:${zip.toString('base64')}`),
      'text/calendar',
    ],
    'a .uue whose begin line is in capitals': [
      'cards.uue',
      Buffer.from(`BEGIN 644 cards.gz\n${uuencode(gzipSync(CARD_TEXT))}`),
      'application/octet-stream',
    ],
  };
  for (const [name, [file, bytes, type]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes, type))).toBe('BOUNCE');
    });
  it('(control) sends an AppleSingle zip of notes and a .uue of a gzip of notes', async () => {
    const notes = zipFile([{ name: 'notes.txt', data: 'see you at 10\n' }]);
    const apple = appleSingle([
      [3, Buffer.from('Notes.zip')],
      [1, notes],
    ]);
    expect(await kit.outbound(outboundFile('Notes', apple, 'application/applefile'))).toBe('DEFAULT');
    const uue = Buffer.from(`begin 644 notes.gz\n${uuencode(gzipSync('see you at 10\n'))}`);
    expect(await kit.outbound(outboundFile('notes.uue', uue))).toBe('DEFAULT');
  });
});

describe('A65-7: encoded files WinZip opens as archives (.xxe, .b64, .mim)', () => {
  const zip = zipFile([{ name: 'cards.txt', data: CARD_TEXT }]);
  const cases: Record<string, [string, Buffer]> = {
    'a zip of a card list XXencoded (.xxe)': [
      'cards.xxe',
      Buffer.from(`begin 644 cards.zip\n${uuencode(zip, XX)}`),
    ],
    'a zip of a card list in base64 (.b64)': [
      'cards.b64',
      Buffer.from(zip.toString('base64').replace(/.{76}/g, '$&\r\n')),
    ],
    'a zip of a card list in base64 with no MIME headers (.mim)': [
      'cards.mim',
      Buffer.from(zip.toString('base64')),
    ],
    'a gzip of a card list in base64 (.b64)': [
      'export.b64',
      Buffer.from(gzipSync(CARD_TEXT).toString('base64')),
    ],
  };
  for (const [name, [file, bytes]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes))).toBe('BOUNCE');
    });
  it('(control) sends a .b64 of a zip of notes', async () => {
    const notes = zipFile([{ name: 'notes.txt', data: 'see you at 10\n' }]);
    expect(await kit.outbound(outboundFile('notes.b64', Buffer.from(notes.toString('base64'))))).toBe(
      'DEFAULT',
    );
  });
});
