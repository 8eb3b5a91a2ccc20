import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 32 (session 25, against round 31's fixes), on the guard: each case was delivered (DEFAULT) at
// the defaults before the fix (PoCs in .scratch/attack-s32). Controls that passed before are kept beside them.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Ann <ann@partner.example>';
const VBS = 'MsgBox "wmflow-attacker-s32"';
const part = (headers: string) => mail([FROM, MIXED], withPart(`${headers}\r\n\r\n${VBS}`));

// S32-1: a lone `"` inside an earlier parameter's unquoted value. Thunderbird/Gecko (nsMIMEHeaderParamImpl) and
// MimeKit (lenient) end an unquoted value at `;`, whatever it holds, and read the next parameter; headerParams and
// libmime take the `"` as the start of a quoted string that swallows the rest of the header.
describe('S32-1: a lone quote in an unquoted value hides the RFC 2231 name that follows', () => {
  const CASES: Record<string, string> = {
    'Content-Disposition filename*=': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; size=12"; filename*=utf-8''Invoice.vbs`,
    'Content-Type name*0/name*1':
      'Content-Type: application/octet-stream; x-mac-type=ab"; name*0=Invoice; name*1=.vbs',
    'a quote inside a nested comment': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; x=1 ((")) ; filename*=utf-8''Invoice.vbs`,
    'a quote after an escaped paren in a comment': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; x=1 (\\(") ; filename*=utf-8''Invoice.vbs`,
    'Content-Type name*= after a nested comment': `Content-Type: application/octet-stream; x=1 ((")) ; name*=utf-8''Invoice.vbs`,
  };
  for (const [title, headers] of Object.entries(CASES)) {
    it(`bounces ${title}`, async () => {
      expect((await kit.inbound(part(headers))).verdict).toBe('BOUNCE');
    });
  }
  it('control: the same header without the lone quote bounces (passed before)', async () => {
    const plain = `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; size=12; filename*=utf-8''Invoice.vbs`;
    expect((await kit.inbound(part(plain))).verdict).toBe('BOUNCE');
  });
  it('bounces in strip mode too (its name reads two ways)', async () => {
    const message = part(CASES['Content-Disposition filename*='] as string);
    expect((await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' })).verdict).toBe('BOUNCE');
  });
});

// S32-2: white space between a parameter's name and its RFC 2231 `*` (or between `*`, the section number and the
// final `*`). MimeKit skips CFWS at each of those places (ParameterList.TryParseNameValuePair); round 31 taught
// headerParams to skip a comment there, not plain white space.
describe('S32-2: white space around the RFC 2231 star', () => {
  const CASES: Record<string, string> = {
    'filename *=': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename *=utf-8''Invoice.vbs`,
    'filename\\t*=': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename\t*=utf-8''Invoice.vbs`,
    'name *= (Content-Type)': `Content-Type: application/octet-stream; name *=utf-8''Invoice.vbs`,
    'filename* 0= / filename* 1=':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename* 0="Invoice"; filename* 1=".vbs"',
    'filename *0= / filename *1=':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename *0="Invoice"; filename *1=".vbs"',
    'filename*0 *= / filename*1 *=': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*0 *=utf-8''Invoice; filename*1 *=%2Evbs`,
  };
  for (const [title, headers] of Object.entries(CASES)) {
    it(`bounces ${title}`, async () => {
      expect((await kit.inbound(part(headers))).verdict).toBe('BOUNCE');
    });
  }
  it('control: a comment in the same place bounces (round 31 fix; passes today)', async () => {
    const commented = `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename(x)*=utf-8''Invoice.vbs`;
    expect((await kit.inbound(part(commented))).verdict).toBe('BOUNCE');
  });
});

// S32-5: a comma instead of the `;` after the disposition or media type. Thunderbird's
// nsMIMEHeaderParamImpl::DoParameterInternal skips the first component up to the first `;` or `,`, then reads the
// parameters; headerParams starts at the first `;`, and LOOSE_NAME wants white space, `;` or `)` before the name.
describe('S32-5: a comma before the first parameter', () => {
  const CASES: Record<string, string> = {
    'Content-Disposition: attachment,filename=':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment,filename="Invoice.vbs"',
    'Content-Disposition: attachment,filename*=': `Content-Type: application/octet-stream\r\nContent-Disposition: attachment,filename*=utf-8''Invoice.vbs`,
    'Content-Type: application/octet-stream,name=':
      'Content-Type: application/octet-stream,name="Invoice.vbs"',
  };
  for (const [title, headers] of Object.entries(CASES)) {
    it(`bounces ${title}`, async () => {
      expect((await kit.inbound(part(headers))).verdict).toBe('BOUNCE');
    });
  }
  it('control: with a space after the comma it bounces (LOOSE_NAME; passes today)', async () => {
    const spaced =
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment, filename="Invoice.vbs"';
    expect((await kit.inbound(part(spaced))).verdict).toBe('BOUNCE');
  });
});

// S32-6: a `?` inside a Q encoded word's text. Thunderbird's DecodeRFC2047Str (nsMIMEHeaderParamImpl.cpp, the
// decoder of attachment names) ends the word at the first `?=`, so `=?utf-8?Q?Invoice?.vbs?=` is `Invoice?.vbs`,
// saved on Windows as `Invoice-.vbs` (`?` replaced); libmime leaves the word undecoded, whose last extension is
// `vbs?=`.
describe('S32-6: encoded words Thunderbird decodes otherwise (a `?` inside, an undecodable word dropped)', () => {
  const CASES: Record<string, string> = {
    'Content-Disposition filename':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="=?utf-8?Q?Invoice?.vbs?="',
    'Content-Type name': 'Content-Type: application/octet-stream; name="=?utf-8?Q??Invoice.vbs?="',
    // A word whose text ends in `=` and does not decode (`=ZZ` is no Q escape; `*` no base64) is dropped whole by
    // Thunderbird (the failed word appends its empty pending buffer): `Invoice.vbs`. libmime keeps it as text.
    'a Q word that does not decode, after the name':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="Invoice.vbs=?utf-8?Q?=ZZ.pdf=?="',
    'a B word that does not decode, after the name':
      'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="Invoice.vbs=?utf-8?B?*.pdf=?="',
  };
  for (const [title, headers] of Object.entries(CASES)) {
    it(`bounces ${title}`, async () => {
      expect((await kit.inbound(part(headers))).verdict).toBe('BOUNCE');
    });
  }
});

// S32-3: capital letters of other scripts drawn exactly like Latin ones whose small forms are not mapped: the
// skeleton case-folds first, so the capital's small form (not a look-alike) is what is looked up.
describe('S32-3: look-alike letters not mapped (impersonation not junked)', () => {
  const fromName = (name: string) =>
    mail(
      [`From: ${encoded(name)} <ceo.office@evil.example>`, 'Content-Type: text/plain'],
      'Please wire it today.',
    );
  const PROTECTED = 'Jane Smith, Frank Young, Lisa Black, Mark Webb';
  const CASES: Record<string, string> = {
    'Armenian capital tiwn Տ as S': 'Jane \u054Fmith',
    'Cherokee DE Ꮥ as S': 'Jane \u13D5mith',
    'Greek digamma Ϝ as F': '\u03DCrank Young',
    'Cyrillic straight U Ү as Y': 'Frank \u04AEoung',
    'Armenian capital liwn Լ as L': '\u053Cisa Black',
    'Latin kra ĸ as k': 'Mar\u0138 Webb',
    'Cherokee LA Ꮃ as W': 'Mark \u13B3ebb',
    'Canadian syllabic ᑲ as b (ᑯ is mapped as d)': 'Mark We\u1472\u1472',
    'Latin small beta ꞵ as b (Greek β is mapped)': 'Lisa \uA7B5lack',
  };
  it('control: the plain spellings are junked (passed before)', async () => {
    for (const name of ['Jane Smith', 'Frank Young', 'Lisa Black', 'Mark Webb'])
      expect((await kit.inbound(fromName(name), { PROTECTED_NAMES: PROTECTED })).verdict).toBe(
        'MOVE_TO_JUNK',
      );
  });
  for (const [title, name] of Object.entries(CASES)) {
    it(`sends ${JSON.stringify(name)} (${title}) to Junk`, async () => {
      expect((await kit.inbound(fromName(name), { PROTECTED_NAMES: PROTECTED })).verdict).toBe(
        'MOVE_TO_JUNK',
      );
    });
  }
});

// Left from round 32, closed in session 27: business numbers that pass Luhn bounced ordinary invoices. A French
// SIRET (printed in threes and a five, or labelled), a Norwegian KID or Swedish OCR payment reference (labelled
// in capitals right before it) is not a card; the same digits unlabelled, or a card beside them, still bounce.
describe('outbound-policy: invoice numbers that pass Luhn', () => {
  const invoice = (lines: string[]) =>
    mail(
      ['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'],
      ['Please find our invoice 2026-118 below.', ...lines, ''].join('\r\n'),
    );
  it('sends a French invoice with a SIRET whose SIREN has Diners Club’s prefix', async () => {
    expect(await kit.outbound(invoice(['Acme SAS, SIRET : 362 521 874 00010', 'Total 1 200,00 €']))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(invoice(['RCS Lyon 303 123 459 00016']))).toBe('DEFAULT');
  });
  it('sends Nordic invoices with a KID or OCR reference starting 4 or 5', async () => {
    expect(await kit.outbound(invoice(['Kontonummer 1503.12.34567', 'KID-nummer: 4123456789012349']))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(invoice(['Bankgiro 123-4567', 'OCR 5123456789012346']))).toBe('DEFAULT');
  });
  it('control: the same digits unlabelled, and a card beside a labelled reference, bounce', async () => {
    expect(await kit.outbound(invoice(['Reference 4123456789012349']))).toBe('BOUNCE');
    expect(await kit.outbound(invoice(['OCR 5123456789012346', 'Card 4111 1111 1111 1111']))).toBe('BOUNCE');
  });
});
