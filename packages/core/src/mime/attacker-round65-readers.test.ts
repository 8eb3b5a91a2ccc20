import { describe, expect, it } from 'vitest';
import { type CalendarScan, calendarChunk, scanCalendar } from '../message/calendar-names.js';
import { isRtf } from '../message/rtf-objects.js';
import { appleFileForks } from './apple-forks.js';
import { encodedArchive } from './encoded-archives.js';
import { hasJsonEscapes, jsonUnescaped } from './json-escapes.js';

// The readers attacker round 65 added or widened, each on its own.
function appleSingle(entries: ReadonlyArray<[id: number, data: Buffer]>, extra = 0): Buffer {
  const head = Buffer.alloc(26 + 12 * entries.length);
  head.writeUInt32BE(0x00051600, 0);
  head.writeUInt16BE(entries.length, 24);
  let offset = head.length;
  entries.forEach(([id, data], i) => {
    head.writeUInt32BE(id, 26 + 12 * i);
    head.writeUInt32BE(offset, 30 + 12 * i);
    head.writeUInt32BE(data.length + extra, 34 + 12 * i);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map(([, data]) => data)]);
}

describe('JSON escapes', () => {
  it('undoes \\u escapes (surrogate pairs too) and the one-letter ones', () => {
    expect(jsonUnescaped('"4111\\u00a01111\\u20131111\\n1111 \\ud83d\\ude00 \\"q\\" \\\\ \\/"')).toBe(
      '"4111\u00a01111\u20131111\n1111 \u{1f600} "q" \\ /"',
    );
    expect(hasJsonEscapes('{"path": "/tmp"}')).toBe(false);
    expect(hasJsonEscapes('a\\u0034')).toBe(true);
  });
});

describe('AppleSingle data forks', () => {
  it('hands out each data fork under the real name and the part name', () => {
    const file = appleSingle([
      [3, Buffer.from('cards.zip')],
      [1, Buffer.from('PK')],
    ]);
    expect(appleFileForks(file, ['Cards'])).toEqual({
      files: [{ name: 'cards.zip', alias: 'Cards', bytes: Buffer.from('PK') }],
    });
    expect(appleFileForks(Buffer.from('%PDF-1.4'))).toBeUndefined();
  });
  it('says why when an entry runs past the end or the header is cut short', () => {
    expect(appleFileForks(appleSingle([[1, Buffer.from('abc')]], 10))?.problem).toMatch(/runs past its end/);
    expect(appleFileForks(appleSingle([[1, Buffer.from('abc')]]).subarray(0, 30))?.problem).toMatch(
      /cut short/,
    );
  });
});

describe('encoded archives by name', () => {
  it('decodes a plain .b64, refuses an .xxe and a .uue whose begin lines are not read', () => {
    expect(encodedArchive(['cards.b64'], Buffer.from('UEsDBA=='))).toEqual({
      files: [{ name: 'cards', bytes: Buffer.from('PK\x03\x04', 'latin1') }],
    });
    expect(encodedArchive(['cards.xxe'], Buffer.from('begin 644 a\n'))).toHaveProperty('problem');
    expect(encodedArchive(['cards.uue'], Buffer.from('BEGIN 644 a.gz\n'))).toHaveProperty('problem');
    expect(encodedArchive(['cards.uue'], Buffer.from('begin 644 a.gz\n`\nend\n'))).toBeUndefined();
    expect(encodedArchive(['cards.txt'], Buffer.from('x'))).toBeUndefined();
    expect(
      encodedArchive(['cards.b64'], Buffer.from('begin-base64 644 cards.zip\nUEsDBA==\n====\n')),
    ).toBeUndefined();
  });
});

describe('calendar attachments and RTF after a byte order mark', () => {
  const scan = (text: Buffer): CalendarScan => {
    const s: CalendarScan = { carry: '', names: [] };
    scanCalendar(s, calendarChunk(s, text), true);
    return s;
  };
  it('reads a UTF-16 calendar, refuses file references, keeps the type of an unnamed inline file', () => {
    const wide = scan(Buffer.from('\ufeffATTACH;X-FILENAME=a.exe;ENCODING=BASE64:TVo=\r\n', 'utf16le'));
    expect(wide.names).toEqual(['a.exe']);
    expect(scan(Buffer.from('ATTACH:file://h/s/a.js\r\n')).problem).toMatch(/outside the message/);
    expect(scan(Buffer.from('ATTACH:https://h/a.js\r\nATTACH;VALUE=URI:Basso\r\n')).problem).toBeUndefined();
    const unnamed = scan(Buffer.from('ATTACH;FMTTYPE=Application/HTA;ENCODING=BASE64:PGh0YT4=\r\n'));
    expect(unnamed.unnamedTypes).toEqual(['application/hta']);
    const bare = scan(
      Buffer.from('ATTACH;VALUE=BINARY:TVqQAA==\r\nATTACH;BASE64;FMTTYPE=text/vbscript:TQ==\r\n'),
    );
    expect(bare.types).toEqual(['application/x-msdownload']);
    expect(bare.unnamedTypes).toEqual(['text/vbscript']);
  });
  it('takes RTF after a UTF-8 byte order mark', () => {
    expect(isRtf(Buffer.from('\ufeff{\\rtf1'))).toBe(true);
    expect(isRtf(Buffer.from('\ufeffhello'))).toBe(false);
  });
});
