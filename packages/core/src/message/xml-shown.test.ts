import { describe, expect, it } from 'vitest';
import { growthRatio } from './test-support/growth.js';
import { plainInteger, xmlShownText, xmlShownTexts } from './xml-shown.js';

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';
const sheet = (cells: string) =>
  `<office:document-content ${NS}><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>Card</text:p></table:table-cell>${cells}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`;
const cell = (attributes: string, shown = '') =>
  `<table:table-cell ${attributes}><text:p>${shown}</text:p></table:table-cell>`;
// The values text: the last of the readings, when there is one.
const values = (xml: string) => {
  const texts = xmlShownTexts(xml);
  return texts.length > 2 ? (texts.at(-1) as string) : '';
};

describe('xmlShownTexts: an OpenDocument cell value (A55-5)', () => {
  it('reads office:value beside the displayed text, apart from it', () => {
    const xml = sheet(cell('office:value-type="float" office:value="4111111111111111"', '4.11111E+15'));
    expect(values(xml)).toContain('4111111111111111');
    expect(xmlShownText(xml)).toContain('4.11111E+15');
    // Kept apart: no separator joins the value to a neighbouring text.
    expect(values(xml)).toMatch(/¶ 4111111111111111$/);
  });
  it('writes an exponent-form value out as its digits too', () => {
    const text = values(sheet(cell('office:value-type="float" office:value="4.111111111111111E+15"', '###')));
    expect(text).toContain('4.111111111111111E+15');
    expect(text).toContain('¶ 4111111111111111');
  });
  it('reads a value on a self-closing cell, a covered cell, a field, and in another prefix', () => {
    expect(
      values(sheet('<table:table-cell office:value-type="currency" office:value="4111111111111111"/>')),
    ).toContain('4111111111111111');
    expect(values(sheet('<table:covered-table-cell o:value="4111111111111111"/>'))).toContain(
      '4111111111111111',
    );
    expect(
      values(
        `<text:p>x<text:user-field-decl office:value-type="float" office:value="4111111111111111"/></text:p>`,
      ),
    ).toContain('4111111111111111');
  });
  it('reads every attribute of the name, not only the first', () => {
    const text = values(
      sheet(cell('x:value="1" office:value-type="float" office:value="4111111111111111"', '1')),
    );
    expect(text).toContain('4111111111111111');
  });
  it('reads string, date, time and boolean values and the formula, entities decoded', () => {
    const text = values(
      sheet(
        cell('office:value-type="string" office:string-value="DE89 3704 0044 0532 0130 00"', 'see sheet 2') +
          cell('office:value-type="date" office:date-value="2024-01-15"', '15/01/24') +
          cell('office:value-type="time" office:time-value="PT12H30M00S"', '12:30') +
          cell('office:value-type="boolean" office:boolean-value="true"', 'TRUE') +
          cell(
            'table:formula="of:=&quot;4111&quot;&amp;1" office:value-type="string" office:string-value="41111"',
          ),
      ),
    );
    for (const piece of ['DE89 3704 0044 0532 0130 00', '2024-01-15', 'PT12H30M00S', 'true', 'of:="4111"&1'])
      expect(text).toContain(`¶ ${piece}`);
  });
  it('adds no text where no element has a value (a Word part, an untyped value attribute)', () => {
    expect(xmlShownTexts('<w:p><w:r><w:t>4111</w:t></w:r></w:p>')).toHaveLength(2);
    expect(xmlShownTexts('<data><item value="4111111111111111"/></data>')).toHaveLength(2);
  });
  it('leaves the shown reading as it was', () => {
    const xml = sheet(cell('office:value-type="float" office:value="4111"', '4111').repeat(4));
    const [shown, snippets] = xmlShownTexts(xml);
    expect(shown?.replace(/\s+/g, ' ').trim()).toBe('Card 4111 4111 4111 4111');
    // The same readings as the cells without their values.
    const plain = xmlShownTexts(sheet(cell('office:value-type="float"', '4111').repeat(4)));
    expect([shown, snippets]).toEqual(plain);
  });
});

describe('plainInteger', () => {
  it('writes an integer in exponent or decimal form as its digits', () => {
    expect(plainInteger('4.111111111111111E+15')).toBe('4111111111111111');
    expect(plainInteger('4.111111111111111e15')).toBe('4111111111111111');
    expect(plainInteger(' 4111111111111111.000 ')).toBe('4111111111111111');
    expect(plainInteger('+4111111111111111')).toBe('4111111111111111');
    expect(plainInteger('41111111111111110E-1')).toBe('4111111111111111');
    expect(plainInteger('-4.1E+3')).toBe('-4100');
    expect(plainInteger('0.0E+5')).toBe('0');
  });
  it('gives nothing for a fraction, a text or an integer too long', () => {
    expect(plainInteger('1234.5')).toBeUndefined();
    expect(plainInteger('4.1111111111111111E+15')).toBeUndefined();
    expect(plainInteger('1E-3')).toBeUndefined();
    expect(plainInteger('true')).toBeUndefined();
    expect(plainInteger('.')).toBeUndefined();
    expect(plainInteger('1E+40')).toBeUndefined();
    expect(plainInteger('1E+9999999')).toBeUndefined();
  });
  it('is linear in a long value', () => {
    const long = (n: number) => `${'1'.repeat(n)}.${'0'.repeat(n)}x`;
    expect(plainInteger(long(200_000))).toBeUndefined();
    expect(plainInteger('9'.repeat(400_000))).toBeUndefined();
    expect(growthRatio(long, plainInteger, 50_000)).toBeLessThan(3);
    expect(growthRatio((n) => '9'.repeat(n), plainInteger, 100_000)).toBeLessThan(3);
  });
  it('reads many cells in time linear in the part', () => {
    const part = (n: number) =>
      sheet(cell('office:value-type="float" office:value="4.1E+30"', '#').repeat(n));
    const xml = part(20_000);
    expect(values(xml).length).toBeLessThan(xml.length * 2);
    expect(growthRatio(part, values, 2_000)).toBeLessThan(3);
  });
});
