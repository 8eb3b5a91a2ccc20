import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MessageHeaders } from './headers.js';
import { rawHeaderReadings } from './raw-header-readings.js';

// Attacker round 121: a header value in raw bytes of a legacy charset, read as a client may decode it.
describe('rawHeaderReadings', () => {
  it('reads bytes that are not UTF-8 in the declared charset and the fallback code pages', () => {
    const bytes = iconv.encode('J\u0430n\u0435 D\u043e\u0435', 'windows-1251');
    expect(rawHeaderReadings(bytes, ['windows-1251'])).toContain('J\u0430n\u0435 D\u043e\u0435');
    expect(rawHeaderReadings(bytes)).toContain('J\u0430n\u0435 D\u043e\u0435');
    expect(rawHeaderReadings(iconv.encode('\uff2a\uff41\uff4e\uff45', 'shift_jis'))).toContain(
      '\uff2a\uff41\uff4e\uff45',
    );
  });
  it('reads raw ISO-2022-JP, and nothing for plain ASCII', () => {
    expect(rawHeaderReadings(Buffer.from('\x1b$B#J#a#n#e\x1b(B', 'latin1'))).toEqual([
      '\uff2a\uff41\uff4e\uff45',
    ]);
    expect(rawHeaderReadings(Buffer.from('Jane Doe <x@evil.example>'))).toEqual([]);
  });
  it('keeps a declared charset no decoder knows from failing the others', () => {
    const bytes = iconv.encode('J\u0430ne', 'koi8-r');
    expect(rawHeaderReadings(bytes, ['x-no-such-charset'])).toContain('J\u0430ne');
  });
});

describe('MessageHeaders.bytes', () => {
  it('gives a value as the bytes it was written in, whether the block was UTF-8 or not', () => {
    const raw = Buffer.concat([
      Buffer.from('From: "'),
      iconv.encode('J\u0430ne', 'windows-1251'),
      Buffer.from('" <x@e.example>\r\n\r\n'),
    ]);
    expect(new MessageHeaders(raw).bytes('from')[0]).toEqual(raw.subarray(6, raw.indexOf('\r\n')));
    const utf8 = Buffer.from('From: "J\u0430ne" <x@e.example>\r\n\r\n');
    expect(new MessageHeaders(utf8).bytes('From')[0]).toEqual(utf8.subarray(6, utf8.indexOf('\r\n')));
  });
});
