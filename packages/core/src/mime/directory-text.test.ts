import { describe, expect, it } from 'vitest';
import {
  directoryBase64Files,
  directoryBase64Values,
  directoryCharsetValues,
  directoryHtmlValues,
  directoryValues,
} from './directory-text.js';

describe('directory objects: values as a calendar or address book shows them', () => {
  it('reads a value in the charset it names, quoted-printable or raw, and names a charset it cannot decode (attacker round 29)', () => {
    // Shift_JIS full-width ４１ (82 53 82 50), and the folded, escaped rest.
    const qp =
      'BEGIN:VCARD\r\nNOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=82=53=82=50=\r\n=20x\\, y\r\nEND:VCARD';
    expect(directoryCharsetValues(qp)).toEqual({ text: '４１ x, y', undecodable: [] });
    const raw = Buffer.concat([Buffer.from('NOTE;CHARSET="Shift_JIS":'), Buffer.from('82538250', 'hex')]);
    expect(directoryCharsetValues(raw.toString('latin1')).text).toBe('４１');
    expect(directoryCharsetValues('FN;CHARSET=ISO-8859-1:Ren=E9').text).toBe('René');
    // EBCDIC (digits F4 F1) is not decoded here: said, not read as garbage; an unknown label on ASCII reads as is.
    expect(directoryCharsetValues('NOTE;CHARSET=IBM037;ENCODING=QUOTED-PRINTABLE:=F4=F1')).toEqual({
      text: '',
      undecodable: ['ibm037'],
    });
    expect(directoryCharsetValues('NOTE;CHARSET=X-MINE:plain').text).toBe('plain');
    // A label not known here on 8-bit bytes (round 30's `ANSI`, `x-mac-japanese` vCards) keeps its digits as ASCII
    // bytes: read as Latin-1, not refused.
    expect(directoryCharsetValues('NOTE;CHARSET=ANSI;ENCODING=QUOTED-PRINTABLE:caf=E9 4111')).toEqual({
      text: 'café 4111',
      undecodable: [],
    });
    expect(directoryCharsetValues('NOTE:no charset here').text).toBe('');
  });

  it('gives the values typed HTML, each as a page, escapes undone and folds joined (attacker round 29)', () => {
    const ics =
      'BEGIN:VEVENT\r\nDESCRIPTION:plain\r\nX-ALT-DESC;FMTTYPE="text/html":<p>&#52;&#49;\\, ok\r\n </p>\r\nEND:VEVENT\r\n';
    expect(directoryHtmlValues(ics)).toEqual(['<p>&#52;&#49;, ok</p>']);
    expect(directoryHtmlValues('X-ALT-DESC;FMTTYPE=text/plain:<p>x</p>')).toEqual([]);
    expect(directoryValues('NOTE;ENCODING=QUOTED-PRINTABLE:4111=201111=\r\n=201111\\n1111')).toBe(
      'NOTE;ENCODING=QUOTED-PRINTABLE:4111 1111 1111\n1111',
    );
  });

  it('decodes values written in base64 (a NOTE, an inline text ATTACH), in the charset named; not pictures (round 30)', () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const card = '4111 1111 1111 1111';
    expect(directoryBase64Values(`NOTE;ENCODING=b:${b64(card)}\r\nPHOTO;ENCODING=b:${b64('4000')}`)).toEqual([
      card,
    ]);
    expect(
      directoryBase64Values(`ATTACH;FMTTYPE=text/csv;ENCODING=BASE64;VALUE=BINARY:${b64(card)}`),
    ).toEqual([card]);
    // EBCDIC in base64 with its CHARSET is named, not read as garbage.
    const ebcdic = Buffer.from([0xf4, 0xf1, 0xf1, 0xf1]).toString('base64');
    expect(directoryCharsetValues(`NOTE;CHARSET=IBM037;ENCODING=BASE64:${ebcdic}`).undecodable).toEqual([
      'ibm037',
    ]);
  });

  it('gives the files written in base64 with their X-FILENAME or FILENAME, else the property name (attacker round 60)', () => {
    const zip = Buffer.from('PK\x03\x04 zip bytes', 'latin1');
    const files = directoryBase64Files(
      [
        `ATTACH;FMTTYPE=application/zip;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=cards.zip:${zip.toString('base64')}`,
        `ATTACH;ENCODING=BASE64;VALUE=BINARY;FILENAME="my cards.xlsx":${zip.toString('base64')}`,
        `NOTE;ENCODING=b:${zip.toString('base64')}`,
        `PHOTO;ENCODING=b:${zip.toString('base64')}`,
      ].join('\r\n'),
    );
    expect(files.map((f) => f.name)).toEqual(['cards.zip', 'my cards.xlsx', 'NOTE']);
    expect(files[0]?.bytes).toEqual(zip);
    expect(directoryBase64Files('NOTE:plain')).toEqual([]);
  });
});
