import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 106 (DLP, an inside user sending a card or an IBAN out through outbound-policy).
// A106-1: a card percent-encoded (`4111%201111%20…`, each digit `%34%31…`) in a link written as text: clients make
// it a link and its reader reads the groups; the DLP decoded links' targets in markup only (round 41).
// A106-2: text carried in base64 (round 73) on a line followed by another line starting with a letter (`END:VCARD`
// after a vCard 4 `KEY:data:…;base64,` value, a signature under a pasted run): the wrapped-run joining glued the next
// word to the run, which then decoded to no text.
const kit = attackerKit(useLocalStack());
const CARD = '4111 1111 1111 1111';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (body: string, type = 'text/plain') =>
  mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}; charset=utf-8`], body);
const vcard = (line: string) =>
  outboundFile(
    'contact.vcf',
    Buffer.from(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\n${line}\r\nEND:VCARD\r\n`),
    'text/vcard',
  );

describe('A106-1: percent-encoded in text (probes)', () => {
  it('a plain-text link with %20 between the groups', async () => {
    expect(await kit.outbound(text('https://pay.example/?c=4111%201111%201111%201111'))).toBe('BOUNCE');
  });
  it('each digit percent-encoded', async () => {
    const digits = [...'4111111111111111'].map((d) => `%3${d}`).join('');
    expect(await kit.outbound(text(`https://pay.example/?c=${digits}`))).toBe('BOUNCE');
  });
  it('%2D between the groups', async () => {
    expect(await kit.outbound(text('ref 4111%2D1111%2D1111%2D1111'))).toBe('BOUNCE');
  });
  it('an IBAN in a link shown as an HTML page’s text', async () => {
    expect(
      await kit.outbound(
        text('<p>https://pay.example/?iban=DE89%203704%200044%200532%200130%2000</p>', 'text/html'),
      ),
    ).toBe('BOUNCE');
  });
});

describe('A106-2: base64 text followed by a line of words (probes)', () => {
  it('a vCard 4 KEY data: URL', async () => {
    expect(await kit.outbound(vcard(`KEY:data:text/plain;base64,${b64(`card ${CARD}`)}`))).toBe('BOUNCE');
  });
  it('a vCard 4 NOTE data: URL', async () => {
    expect(await kit.outbound(vcard(`NOTE:data:text/plain;base64,${b64(`card ${CARD}`)}`))).toBe('BOUNCE');
  });
  it('a run pasted in a body with a signature under it', async () => {
    expect(await kit.outbound(text(`here:\r\n${b64(`card ${CARD}`)}\r\nThanks\r\nBob\r\n`))).toBe('BOUNCE');
  });
  it('a wrapped run (76 a line) with a word under it', async () => {
    const run = b64(`${'account details follow. '.repeat(6)}card ${CARD} exp 12/29`).replace(
      /.{76}/g,
      '$&\r\n',
    );
    expect(await kit.outbound(text(`${run}\r\nRegards\r\n`))).toBe('BOUNCE');
  });
});

describe('A106 controls (sent)', () => {
  it('a tracking link with percent-encoded words and a date', async () => {
    expect(
      await kit.outbound(
        text('https://news.example/?utm_campaign=spring%202026&q=order%20no%2012345&d=2026%2D04%2D01'),
      ),
    ).toBe('DEFAULT');
  });
  it('percentages and a code written 50%2011', async () => {
    expect(await kit.outbound(text('Sales rose 12%, code 50%2011; 4111 units shipped.'))).toBe('DEFAULT');
  });
  it('a vCard with a photo and a PGP key as data: URLs', async () => {
    expect(
      await kit.outbound(
        vcard(`KEY:data:text/plain;base64,${b64('-----BEGIN PGP PUBLIC KEY BLOCK----- mQENBF abc')}`),
      ),
    ).toBe('DEFAULT');
  });
  it('base64 of ordinary text followed by a signature', async () => {
    expect(
      await kit.outbound(text(`${b64('see you at the meeting on Tuesday, room 4111')}\r\nThanks\r\n`)),
    ).toBe('DEFAULT');
  });
});
