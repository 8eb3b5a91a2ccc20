import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 15: a Brazilian company's CNPJ is 14 digits, written bare in every NF-e and NFS-e XML. Roots
// issued from 30 to 38 million (companies registered since about 2018) have Diners Club's prefix and length, and
// about one in twelve of them also passes Luhn, so the invoice XML a seller must send its buyer bounced outbound as a
// card. Labelled `CNPJ` right before (`<CNPJ>`, `CNPJ:`, `"cnpj": "`) and carrying the CNPJ's own mod-11 check
// digits, such a number is sent; a Diners number under that label fails the check (about 99 in 100 do) and bounces.
const kit = attackerKit(useLocalStack());

// Each a valid CNPJ that also passes Luhn under a Diners prefix (36, 38, 303, 305).
const CNPJS = ['36000009000140', '38123001000104', '30312001015083', '30512000000131', '36987001015060'];
const BUYER = '11222333000181';

const nfe = (emit: string) =>
  Buffer.from(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><NFe><infNFe Id="NFe35241136000009000140550010000012341000012345" versao="4.00">',
      `<emit><CNPJ>${emit}</CNPJ><xNome>Loja Exemplo LTDA</xNome><IE>123456789110</IE></emit>`,
      `<dest><CNPJ>${BUYER}</CNPJ><xNome>Cliente SA</xNome></dest>`,
      '<det nItem="1"><prod><cProd>0001</cProd><cEAN>7891234567895</cEAN><NCM>84713012</NCM><vProd>1234.00</vProd></prod></det>',
      '</infNFe></NFe></nfeProc>',
    ].join('\n'),
  );
const body = (type: string, text: string) =>
  mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}; charset=utf-8`], `${text}\r\n`);

describe('FP15 a CNPJ with a Diners prefix, labelled, is sent', () => {
  for (const c of CNPJS)
    it(`sends an NF-e XML whose seller is ${c}`, async () => {
      expect(await kit.outbound(outboundFile(`3524${c}55001-nfe.xml`, nfe(c), 'text/xml'))).toBe('DEFAULT');
    });
  it("sends a month's NF-e XMLs in a zip for the accountant", async () => {
    const zip = zipFile(CNPJS.map((c, i) => ({ name: `NFe-${i}.xml`, data: nfe(c) })));
    expect(await kit.outbound(outboundFile('XMLs-novembro.zip', zip, 'application/zip'))).toBe('DEFAULT');
  });
  it('sends an NFS-e (ABRASF) XML with <Cnpj>', async () => {
    const xml = `<CompNfse><Nfse><InfNfse><PrestadorServico><IdentificacaoPrestador><Cnpj>${CNPJS[1]}</Cnpj></IdentificacaoPrestador></PrestadorServico></InfNfse></Nfse></CompNfse>`;
    expect(await kit.outbound(outboundFile('nfse-4711.xml', Buffer.from(xml), 'application/xml'))).toBe(
      'DEFAULT',
    );
  });
  it('sends a text body with CNPJ: and CNPJ/CPF:', async () => {
    const text = `Prezado cliente,\r\nSegue a NF-e 1234.\r\nCNPJ: ${CNPJS[0]}\r\nCNPJ/CPF: ${CNPJS[2]}\r\n`;
    expect(await kit.outbound(body('text/plain', text))).toBe('DEFAULT');
  });
  it('sends an HTML body and a JSON attachment', async () => {
    expect(await kit.outbound(body('text/html', `<p>Emitente: Loja Exemplo<br>CNPJ ${CNPJS[3]}</p>`))).toBe(
      'DEFAULT',
    );
    const json = `{"emitente":{"cnpj":"${CNPJS[4]}","nome":"Loja"},"valor":1234.0}`;
    expect(await kit.outbound(outboundFile('nota.json', Buffer.from(json), 'application/json'))).toBe(
      'DEFAULT',
    );
  });
  it('control: an NF-e whose CNPJ has no card prefix is sent (before and after)', async () => {
    expect(await kit.outbound(outboundFile('nfe.xml', nfe(BUYER), 'text/xml'))).toBe('DEFAULT');
  });
});

describe('FP15 held: a card under a CNPJ label, or a CNPJ-shaped card without one, still bounces', () => {
  const held: [string, string][] = [
    // Diners Club's test number: Luhn-valid, not a CNPJ.
    ['a Diners number labelled CNPJ', 'CNPJ: 30569309025904'],
    ['a Diners number in a <CNPJ> tag', '<CNPJ>30569309025904</CNPJ>'],
    ['a Visa card labelled CNPJ', 'CNPJ: 4111 1111 1111 1111'],
    ['a 16-digit card labelled CNPJ', 'cnpj 4111111111111111'],
    ['the CNPJ-shaped number without a label', `cartão ${CNPJS[0]}`],
    ['the label on the line before', `CNPJ:\r\n${CNPJS[0]}`],
    ['the label too far before', `CNPJ da empresa e o cartão ${CNPJS[0]}`],
    ['a card after the CNPJ in the same run', `CNPJ: ${CNPJS[0]} 4111 1111 1111 1111`],
  ];
  for (const [name, text] of held)
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(body('text/plain', text))).toBe('BOUNCE');
    });
});
