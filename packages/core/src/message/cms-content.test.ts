import { describe, expect, it } from 'vitest';
import { certsOnlyClaimProblem, cmsCarriesContent } from './cms-content.js';

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const len =
    body.length < 128 ? Buffer.from([body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 255]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const oid = (hex: string) => der(0x06, Buffer.from(hex, 'hex'));
const SIGNED = oid('2a864886f70d010702');
const DATA = oid('2a864886f70d010701');
const signed = (encap: Buffer) =>
  der(
    0x30,
    SIGNED,
    der(0xa0, der(0x30, der(0x02, Buffer.from([1])), der(0x31), encap, der(0xa0, Buffer.from('certs')))),
  );

describe('CMS content behind an S/MIME certs-only claim', () => {
  it('tells certificates only from signed content and other content types', () => {
    expect(cmsCarriesContent(signed(der(0x30, DATA)))).toBe(false);
    expect(cmsCarriesContent(signed(der(0x30, DATA, der(0xa0, der(0x04, Buffer.from('MIME'))))))).toBe(true);
    expect(cmsCarriesContent(der(0x30, oid('2a864886f70d010703'), der(0xa0)))).toBe(true);
    expect(cmsCarriesContent(Buffer.from('From: not CMS'))).toBeUndefined();
  });
  it('reads BER indefinite lengths', () => {
    const ber = Buffer.concat([
      Buffer.from('3080', 'hex'),
      SIGNED,
      Buffer.from('a0803080', 'hex'),
      der(0x02, Buffer.from([1])),
      Buffer.from('31800000', 'hex'),
      Buffer.from('3080', 'hex'),
      DATA,
      Buffer.from('a080', 'hex'),
    ]);
    expect(cmsCarriesContent(ber)).toBe(true);
  });
  it('only questions parts that claim certificates only', () => {
    const content = signed(der(0x30, DATA, der(0xa0, der(0x04, Buffer.from('MIME')))));
    const claim = 'application/pkcs7-mime; smime-type=certs-only';
    expect(certsOnlyClaimProblem('application/pkcs7-mime', claim, [], content)).toMatch(/certificates only/);
    expect(
      certsOnlyClaimProblem('application/pkcs7-mime', 'application/pkcs7-mime', ['a.p7c'], content),
    ).toMatch(/carries content/);
    expect(
      certsOnlyClaimProblem('application/pkcs7-mime', claim, [], signed(der(0x30, DATA))),
    ).toBeUndefined();
    expect(
      certsOnlyClaimProblem(
        'application/pkcs7-mime',
        'application/pkcs7-mime',
        ['contract.pdf.p7m'],
        content,
      ),
    ).toBeUndefined();
  });
});
