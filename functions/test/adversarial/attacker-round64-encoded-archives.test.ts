import { uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 64, A64-2: WinZip opens UUencoded (`.uue`), XXencoded (`.xxe`), BinHex (`.hqx`, `.bhx`) and MIME
// (`.b64`, `.mim`) files as archives of the files encoded inside, and is their default program once installed;
// WinRAR opens `.uue` the same way (its UUE format). Campaigns have mailed `.uue` attachments for that reason. The
// guard refused `.hqx` by name and read uuencoded files only in text parts: an `invoice.uue` attachment declared
// `application/octet-stream` holding a uuencoded `invoice.exe` or `invoice.js`, and the other encoded kinds, were
// delivered. They are now blocked by name (`ABUSED_EXTENSIONS`, allowed again with `ALLOWED_EXTENSIONS`), and a `.uue`
// part is read as a text part is (its begin lines name files, their content decoded and sniffed), so one let
// through is still inspected; one whose begin lines the walk cannot read, or without any, is refused.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120, 0)]);
const JS = Buffer.from('var s=new ActiveXObject("WScript.Shell");s.Run("calc");\r\n');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const uu = (data: Buffer, name: string) => Buffer.from(`${uuencode(data, name)}\r\n`);
// An XXencoded file (the same framing, another alphabet); its content is not decoded.
const XXE = Buffer.from('begin 644 invoice.exe\r\nh7Qs+0k++0E++++++\r\n+\r\nend\r\n');
const MIM = Buffer.from(
  [
    'MIME-Version: 1.0',
    'Content-Type: application/octet-stream; name="invoice.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    MZ.toString('base64'),
    '',
  ].join('\r\n'),
);

describe('A64-2: encoded files an archiver opens', () => {
  attachmentTests(kit, {
    'invoice.uue holding a uuencoded invoice.exe': attachedFile('invoice.uue', uu(MZ, 'invoice.exe')),
    'invoice.uue holding a uuencoded invoice.js': attachedFile('invoice.uue', uu(JS, 'invoice.js')),
    'Invoice.UUE (upper case) holding invoice.js': attachedFile('Invoice.UUE', uu(JS, 'invoice.js')),
    'invoice.xxe (XXencoded)': attachedFile('invoice.xxe', XXE),
    'invoice.b64 (MIME-encoded)': attachedFile('invoice.b64', MIM),
    'invoice.mim (MIME-encoded)': attachedFile('invoice.mim', MIM),
    'invoice.bhx (BinHex)': attachedFile(
      'invoice.bhx',
      Buffer.from('(This file must be converted with BinHex 4.0)\r\n:'),
    ),
    'a zip holding invoice.uue': attachedFile(
      'docs.zip',
      zipFile([{ name: 'invoice.uue', data: uu(JS, 'invoice.js') }]),
    ),
  });
});

describe('A64-2: a .uue file an organization lets through is still read', () => {
  const env = { ALLOWED_EXTENSIONS: 'uue' };
  const cases: Record<string, Buffer> = {
    'a uuencoded invoice.js': uu(JS, 'invoice.js'),
    'a uuencoded executable named invoice.pdf': uu(MZ, 'invoice.pdf'),
    'a uuencoded zip holding invoice.js': uu(zipFile([{ name: 'invoice.js', data: JS }]), 'docs.zip'),
    'a begin line the walk does not read (BEGIN 644)': Buffer.concat([
      uu(PDF, 'report.pdf'),
      Buffer.from(uuencode(JS, 'invoice.js').replace('begin 644', 'BEGIN 644')),
    ]),
    'a begin line without a mode': Buffer.from(uuencode(JS, 'invoice.js').replace('begin 644 ', 'begin ')),
    'no begin line at all': Buffer.from('M9F]O8F%R\r\n`\r\nend\r\n'),
  };
  for (const [name, file] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      const [message] = attachedFile('scan.uue', file);
      expect((await kit.inbound(message, env)).verdict).toBe('BOUNCE');
    });
  it('(control) delivers a uuencoded report.pdf', async () => {
    const [message] = attachedFile('report.uue', uu(PDF, 'report.pdf'));
    expect((await kit.inbound(message, env)).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a text body that talks about a begin line', async () => {
    const body = 'Please begin 644 reviews by Friday.\r\nbegin with the summary.\r\n';
    const message = mail([MIXED], withPart(`Content-Type: text/plain\r\n\r\n${body}`));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
