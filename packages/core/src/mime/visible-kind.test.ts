import { describe, expect, it } from 'vitest';
import { type TextNode, visibleKind } from './visible-kind.js';

const part = (contentType: string, filename: string | false = false) =>
  ({ contentType, filename }) as Pick<TextNode, 'contentType' | 'filename'>;

describe('visibleKind', () => {
  it('goes by the declared type, then by the file name', () => {
    expect(visibleKind(part('message/rfc822'))).toBe('message');
    expect(visibleKind(part('text/html'))).toBe('html');
    expect(visibleKind(part('application/octet-stream', 'cards.csv'))).toBe('text');
    expect(visibleKind(part('application/octet-stream', 'photo.jpg'))).toBe('binary');
    expect(visibleKind(part('application/octet-stream', 'report.xlsx'))).toBe('office');
  });

  it('counts every name a client may open the part by, not only the first', () => {
    const dat = part('application/octet-stream', 'booking.dat');
    expect(visibleKind(dat)).toBe('binary');
    expect(visibleKind(dat, ['booking.dat', 'booking.eml'])).toBe('message');
    expect(visibleKind(dat, ['booking.dat', 'notes.htm'])).toBe('html');
    expect(visibleKind(dat, ['booking.dat', 'rows.csv'])).toBe('text');
  });

  it('reads a name as a file system stores it: .nws, trailing dots, invisible characters, a NUL', () => {
    const bin = part('application/octet-stream');
    expect(visibleKind(bin, ['news.nws'])).toBe('message');
    expect(visibleKind(bin, ['fw.eml.'])).toBe('message');
    expect(visibleKind(bin, ['fw.eml\u200b'])).toBe('message');
    expect(visibleKind(bin, ['fw.eml\u0000.png'])).toBe('message');
    expect(visibleKind(bin, [])).toBe('binary');
  });
});

describe('visibleKind: text names longer than eight letters', () => {
  it('reads `.properties` as text (its name was in the list, but only eight letters were looked at)', () => {
    expect(visibleKind({ contentType: 'application/octet-stream', filename: 'app.properties' })).toBe('text');
  });
});
