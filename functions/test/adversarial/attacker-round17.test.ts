import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cmsFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import {
  attachedFile,
  attachmentTests,
  attackerKit,
  MIXED,
  mail,
  outboundFile,
  withPart,
} from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 17 (session 20). Each case got past the guard or outbound-policy at their defaults before
// this round. A signed file (`fattura.exe.p7m`, CMS signed data) carries its content in clear, and the viewers
// that open it (Dike, ArubaSign, GoSign, Windows' crypto shell) save it under the name without `.p7m`: the
// guard and the DLP now read it as a file holding one file. Fixtures: samples/archives/*.p7m, signed by
// `openssl cms -sign -nodetach -binary` (invoice.zip.p7m streamed, BER).

const stack = useLocalStack();
const kit = attackerKit(stack);
const fixture = (name: string) => readFileSync(new URL(`../../../samples/archives/${name}`, import.meta.url));
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);
const JS_ZIP = zipFile([{ name: 'fattura.js', data: 'WScript.Echo("round 17")' }]);
const PKCS7 = 'application/pkcs7-mime; smime-type=signed-data';
const CARDS = Buffer.from('name,card\r\nAnn,4111 1111 1111 1111\r\n');
const FATTURA = (iban: string) =>
  Buffer.from(`<?xml version="1.0"?><FatturaElettronica><IBAN>${iban}</IBAN></FatturaElettronica>`);
const FROM = 'From: Bob <bob@corp.example>';
// S/MIME signed mail as clients send it: multipart/signed with a detached signature.
const signedMail = (text: string) =>
  mail(
    [
      FROM,
      'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"',
    ],
    [
      '--s',
      'Content-Type: text/plain',
      '',
      text,
      '--s',
      'Content-Type: application/pkcs7-signature; name="smime.p7s"',
      'Content-Disposition: attachment; filename="smime.p7s"',
      'Content-Transfer-Encoding: base64',
      '',
      cmsFile(Buffer.from(text), { type: 'detached' }).toString('base64'),
      '--s--',
      '',
    ].join('\r\n'),
  );

describe('attacker round 17: a signed file (.p7m) hides what it carries from the guard', () => {
  attachmentTests(kit, {
    'fattura.exe.p7m holding an executable': attachedFile('fattura.exe.p7m', cmsFile(MZ)),
    'fattura.zip.p7m (streamed BER) holding a zip with a .js': attachedFile(
      'fattura.zip.p7m',
      cmsFile(JS_ZIP, { chunk: 1000 }),
    ),
    'a zip holding a .js, signed by OpenSSL (invoice.zip.p7m)': attachedFile(
      'invoice.zip.p7m',
      fixture('invoice.zip.p7m'),
    ),
    'a signed zip declared application/pkcs7-mime under another name': attachedFile(
      'documento.p7m',
      cmsFile(JS_ZIP),
      PKCS7,
    ),
    'a zip holding fattura.zip.p7m': attachedFile(
      'fatture.zip',
      zipFile([{ name: 'fattura.zip.p7m', data: cmsFile(JS_ZIP) }]),
    ),
    'a signed file saved as base64 text (PEM)': attachedFile('fattura.exe.p7m', cmsFile(MZ, { pem: true })),
    'a time-stamped file (.tsd) holding an executable': attachedFile(
      'fattura.exe.tsd',
      cmsFile(MZ, { type: 'timestamped' }),
    ),
    'an encrypted (enveloped) .p7m, whose content is not known': attachedFile(
      'fattura.xml.p7m',
      cmsFile(MZ, { type: 'enveloped' }),
    ),
    'an .m7m, which is not read': attachedFile('fattura.xml.m7m', Buffer.from('MIME-Version: 1.0\r\n')),
  });

  it('delivers signed invoices and signed mail: a .p7m holding XML or a PDF, an S/MIME signature', async () => {
    expect((await kit.inbound(attachedFile('fattura.xml.p7m', fixture('fattura.xml.p7m'))[0])).verdict).toBe(
      'DEFAULT',
    );
    const pdf = cmsFile(Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n'), { chunk: 4 });
    expect((await kit.inbound(attachedFile('contratto.pdf.p7m', pdf, PKCS7)[0])).verdict).toBe('DEFAULT');
    expect(
      (await kit.inbound(attachedFile('fattura.xml.p7m.p7m', cmsFile(fixture('fattura.xml.p7m')))[0]))
        .verdict,
    ).toBe('DEFAULT');
    expect((await kit.inbound(signedMail('See you at 10.'))).verdict).toBe('DEFAULT');
  });

  it('delivers an encrypted .p7m with ALLOW_SMIME, as it does S/MIME mail', async () => {
    const [message] = attachedFile('fattura.xml.p7m', cmsFile(MZ, { type: 'enveloped' }));
    expect((await kit.inbound(message, { ALLOW_SMIME: 'true' })).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 17: file types the block list lacked', () => {
  const named = (name: string, type = 'application/octet-stream') =>
    attachedFile(name, Buffer.from('[InternetShortcut]\r\nURL=file:///tmp/x\r\n'), type);
  attachmentTests(kit, {
    ...Object.fromEntries(
      [
        'inetloc',
        'webloc',
        'afploc',
        'ftploc',
        'appcontent-ms',
        'cdxml',
        'psdm1',
        'pssc',
        'asx',
        'aspx',
        'pst',
      ].map((ext) => [`invoice.${ext}`, named(`invoice.${ext}`)]),
    ),
    ...Object.fromEntries(
      [
        'application/vnd.ms-powerpoint.addin.macroEnabled.12',
        'application/x-ms-vsto',
        'application/msaccess.addin',
        'application/msaccess.exec',
        'application/msaccess.runtime',
      ].map((type) => {
        // Not an executable by its bytes: only the declared type says what Office saves it as.
        const body = Buffer.from('\x00\x01wmflow add-in placeholder\x00', 'latin1').toString('base64');
        const part = `Content-Type: ${type}\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
        return [`an unnamed ${type} part`, [mail([MIXED], withPart(part)), body]];
      }),
    ),
  });
});

describe('attacker round 17: card numbers and IBANs in a signed file, a zip in a zip, a tar (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'cards.csv.p7m': outboundFile('cards.csv.p7m', cmsFile(CARDS)),
    'a FatturaPA invoice (.xml.p7m, streamed) with an IBAN': outboundFile(
      'IT01234567890_00001.xml.p7m',
      cmsFile(FATTURA('DE89370400440532013000'), { chunk: 16 }),
    ),
    'a signed CSV declared application/pkcs7-mime': outboundFile('export.p7m', cmsFile(CARDS), PKCS7),
    'a CSV signed twice (.p7m.p7m)': outboundFile(
      'cards.csv.p7m.p7m',
      cmsFile(cmsFile(CARDS), { chunk: 50 }),
    ),
    'a zip holding a zip holding a CSV': outboundFile(
      'export.zip',
      zipFile([{ name: 'inner.zip', data: zipFile([{ name: 'cards.csv', data: CARDS }]) }]),
    ),
    'a zip holding a signed CSV': outboundFile(
      'export.zip',
      zipFile([{ name: 'cards.csv.p7m', data: cmsFile(CARDS) }]),
    ),
    'an opaque-signed S/MIME message whose text holds a card': mail(
      [FROM, `Content-Type: ${PKCS7}; name="smime.p7m"`, 'Content-Transfer-Encoding: base64'],
      cmsFile(Buffer.from('Content-Type: text/plain\r\n\r\nMy card: 4111 1111 1111 1111\r\n')).toString(
        'base64',
      ),
    ),
    'an encrypted (enveloped) .p7m': outboundFile('cards.csv.p7m', cmsFile(CARDS, { type: 'enveloped' })),
    'a tar holding a CSV': outboundFile(
      'export.tar',
      tarArchive(tarEntry('cards.csv', CARDS, '0', USTAR_MAGIC)),
    ),
    'a .tgz holding a CSV': outboundFile(
      'export.tgz',
      gzipSync(
        tarArchive(tarEntry('notes.txt', Buffer.from('hi')), tarEntry('cards.csv', CARDS, '0', USTAR_MAGIC)),
      ),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });

  it('sends signed invoices without card numbers, S/MIME signed mail, and encrypted files where allowed', async () => {
    expect(await kit.outbound(outboundFile('fattura.xml.p7m', fixture('fattura.xml.p7m')))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('fattura.xml.p7m', cmsFile(FATTURA('none'), { chunk: 8 })))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(signedMail('Minutes attached next week.'))).toBe('DEFAULT');
    const clean = tarArchive(tarEntry('plan.csv', Buffer.from('week,task\r\n1,ship\r\n'), '0', USTAR_MAGIC));
    expect(await kit.outbound(outboundFile('plan.tgz', gzipSync(clean)))).toBe('DEFAULT');
    const sealed = outboundFile('cards.csv.p7m', cmsFile(CARDS, { type: 'enveloped' }));
    expect(await kit.outbound(sealed, { ALLOW_ENCRYPTED_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
});

// Attacker round 18 (session 20, aimed at round 17's reader).
const qp = (bytes: Buffer) =>
  [...bytes]
    .map((b) =>
      b >= 33 && b <= 126 && b !== 61
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('')
    .replace(/.{1,72}(?=.)/g, '$&=\r\n');
const armoured = (der: Buffer, label: string, before = '') =>
  Buffer.from(
    `${before}-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`,
  );
// DER forms OpenSSL reads that the first sniff did not: SEQUENCE in the high-tag-number form, an OID length not minimal.
const highTag = (cms: Buffer) => Buffer.concat([Buffer.from([0x3f, 0x10]), cms.subarray(1)]);
const longOidLength = (streamed: Buffer) =>
  Buffer.concat([streamed.subarray(0, 3), Buffer.from([0x81]), streamed.subarray(3)]);
const opaqueSigned = (inner: string) => cmsFile(Buffer.from(inner.replace(/\n/g, '\r\n')));
const EXE_MIME = `Content-Type: multipart/mixed; boundary="i"\n\n--i\nContent-Type: text/plain\n\nSee attached.\n--i\nContent-Type: application/octet-stream; name="invoice.exe"\nContent-Disposition: attachment; filename="invoice.exe"\nContent-Transfer-Encoding: base64\n\n${MZ.toString('base64')}\n--i--\n`;

describe('attacker round 18: signed files the DLP did not read (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a PEM .p7m (-----BEGIN CMS-----)': outboundFile('cards.csv.p7m', armoured(cmsFile(CARDS), 'CMS')),
    'a bare base64 .p7m': outboundFile('cards.csv.p7m', cmsFile(CARDS, { base64: true })),
    'a PEM .p7m with a line of text before its armour': outboundFile(
      'cards.csv.p7m',
      armoured(cmsFile(CARDS), 'PKCS7', 'Signed with ArubaSign\n'),
    ),
    'a PEM signed file declared application/pkcs7-mime': outboundFile(
      'export',
      cmsFile(CARDS, { pem: true }),
      PKCS7,
    ),
    'a PEM .p7m inside a zip': outboundFile(
      'export.zip',
      zipFile([{ name: 'cards.csv.p7m', data: cmsFile(CARDS, { pem: true }) }]),
    ),
    'a .p7m whose SEQUENCE is in the high-tag-number form': outboundFile(
      'cards.csv.p7m',
      highTag(cmsFile(CARDS)),
    ),
    'an unnamed signed file whose OID length is not minimal': outboundFile(
      'export.bin',
      longOidLength(cmsFile(CARDS, { chunk: 4 })),
    ),
    'a streamed .p7m sent quoted-printable': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="export.bin"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp(cmsFile(CARDS, { chunk: 1 }))}`,
      ),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('sends a PEM-signed invoice without card numbers', async () => {
    expect(
      await kit.outbound(outboundFile('fattura.xml.p7m', armoured(cmsFile(FATTURA('none')), 'CMS'))),
    ).toBe('DEFAULT');
  });
});

describe('attacker round 18: signed messages and pieces the guard did not refuse', () => {
  attachmentTests(kit, {
    'opaque-signed S/MIME at the root, declared octet-stream as smime.p7m (Outlook opens it)': [
      mail(
        [
          'Content-Type: application/octet-stream; name="smime.p7m"',
          'Content-Disposition: attachment; filename="smime.p7m"',
          'Content-Transfer-Encoding: base64',
        ],
        opaqueSigned(EXE_MIME).toString('base64'),
      ),
      MZ.toString('base64').slice(0, 20),
    ],
    'an attached smime.p7m declared octet-stream, signing a message with an .exe': attachedFile(
      'smime.p7m',
      opaqueSigned(EXE_MIME),
    ),
    'a .p7m in 300,000 empty pieces (refused, not read at a gigabyte of memory)': attachedFile(
      'report.pdf.p7m',
      cmsFile(Buffer.alloc(300_000), { chunk: 1 }),
    ),
  });
  it('delivers a PEM-signed invoice, and signed mail that is S/MIME with ALLOW_SMIME', async () => {
    expect(
      (await kit.inbound(attachedFile('fattura.xml.p7m', armoured(fixture('fattura.xml.p7m'), 'CMS'))[0]))
        .verdict,
    ).toBe('DEFAULT');
    const [signed] = attachedFile('smime.p7m', opaqueSigned(EXE_MIME));
    expect((await kit.inbound(signed, { ALLOW_SMIME: 'true' })).verdict).toBe('DEFAULT');
  });
});

// Attacker round 19 (session 20, on the DLP's containers).
const BZIP2 = Buffer.concat([
  Buffer.from('BZh9', 'latin1'),
  Buffer.from('314159265359', 'hex'),
  Buffer.alloc(40, 7),
]);
const XZ = Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), Buffer.alloc(40, 7)]);
// GNU tar extracts a first entry with an empty name as `.`; the sniff wanted a name.
const emptyFirst = (file: Buffer, name: string, magic = true) =>
  tarArchive(
    tarEntry('', Buffer.alloc(0), '5', magic ? USTAR_MAGIC : {}),
    tarEntry(name, file, '0', magic ? USTAR_MAGIC : {}),
  );

describe('attacker round 19: containers the DLP did not open (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a tar holding a zip of a CSV': outboundFile(
      'export.tar',
      tarArchive(tarEntry('cards.zip', zipFile([{ name: 'cards.csv', data: CARDS }]), '0', USTAR_MAGIC)),
    ),
    'a tar holding a gzipped CSV': outboundFile(
      'export.tar',
      tarArchive(tarEntry('cards.csv.gz', gzipSync(CARDS), '0', USTAR_MAGIC)),
    ),
    'a tar whose first entry has an empty name': outboundFile('export.tar', emptyFirst(CARDS, 'cards.csv')),
    'a gzip with no extension holding an old tar whose first entry has an empty name': outboundFile(
      'export.gz',
      gzipSync(emptyFirst(CARDS, 'cards.csv', false)),
    ),
    'a zip whose file name holds an IBAN': outboundFile(
      'refunds.zip',
      zipFile([{ name: 'Refund to DE89370400440532013000.pdf', data: Buffer.from('%PDF-1.7') }]),
    ),
    'a bzip2 file, which is not read': outboundFile('cards.csv.bz2', BZIP2),
    'an xz file, which is not read': outboundFile('cards.csv.xz', XZ),
    'a zip in a transfer encoding written "base64" (quoted)': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: application/zip; name="cards.zip"\r\nContent-Disposition: attachment; filename="cards.zip"\r\nContent-Transfer-Encoding: "base64"\r\n\r\n${zipFile([{ name: 'cards.csv', data: CARDS }]).toString('base64')}`,
      ),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('sends a tar of clean files, and a zip whose names hold no number', async () => {
    const plan = Buffer.from('week,task\r\n1,ship\r\n');
    expect(await kit.outbound(outboundFile('plan.tar', emptyFirst(plan, 'plan.csv')))).toBe('DEFAULT');
    expect(
      await kit.outbound(outboundFile('plan.zip', zipFile([{ name: 'Q4 plan 2026.csv', data: plan }]))),
    ).toBe('DEFAULT');
  });
});

describe('attacker round 19: a gzip with no extension holding a tar with an empty first name (guard)', () => {
  attachmentTests(kit, {
    'docs.gz holding an old tar: "", invoice.exe': attachedFile(
      'docs.gz',
      gzipSync(emptyFirst(MZ, 'invoice.exe', false)),
    ),
  });
});
