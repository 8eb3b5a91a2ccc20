import { pdfFile, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { yenc, yencChars } from './text-file-builders.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(118)]);
const ZIP = zipFile([{ name: 'invoice.exe', data: MZ }]);
const JS = Buffer.from('var s=new ActiveXObject("WScript.Shell");s.Run("cmd /c calc");\r\n');
const VBS = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const CARD_FILE = Buffer.from('card 4111 1111 1111 1111 exp 12/29\r\n');
const FROM = 'From: Bob <bob@corp.example>';
const body = (text: string) => Buffer.from(`Please find the invoice attached.\r\n\r\n${text}\r\n`, 'latin1');
const typed = (type: string, text: string, head: string[] = []) =>
  mail([...head, `Content-Type: ${type}`, 'Content-Transfer-Encoding: 8bit'], body(text));
// In base64, so that a NUL survives the transfer.
const based = (lines: string[], type = 'text/plain; charset=iso-8859-1', head: string[] = []) =>
  mail(
    [...head, `Content-Type: ${type}`, 'Content-Transfer-Encoding: base64'],
    Buffer.from(['Please find the file attached.', '', ...lines, ''].join('\r\n'), 'latin1').toString(
      'base64',
    ),
  );

// A53-1 (high, Thunderbird): Thunderbird picks its untyped-text reader, which decodes uuencoded and yEnc files
// out of the text and lists them, for a part whose type is empty or the bare word `text` (mime_find_class,
// mimei.cpp). The walk scanned only `text/…` parts for encoded files, so under `text` (any case) nothing was
// found. A type with no subtype is now scanned as text (part-leaf.ts), and the DLP reads a bare `text` as
// text/plain even where a NUL makes its bytes look binary (visible-text.ts).
describe('A53-1: encoded files in a body typed `text`', () => {
  const cases: Record<string, Buffer> = {
    'a yEnc invoice.zip holding invoice.exe': typed('text; charset=iso-8859-1', yenc('invoice.zip', ZIP)),
    'a uuencoded invoice.js': typed('text', uuencode(JS, 'invoice.js')),
    'a yEnc invoice.js, type in capitals': typed('TEXT', yenc('invoice.js', JS)),
    'a yEnc invoice.js, a space before the parameters': typed('text ; charset=x', yenc('invoice.js', JS)),
    'a uuencoded invoice.zip in a `text` part of a multipart/mixed': mail(
      [MIXED],
      withPart(
        `Content-Type: text\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${uuencode(ZIP, 'invoice.zip')}`,
      ),
    ),
  };
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  it('(control) bounces the yEnc zip under text/plain', async () => {
    expect(
      (await kit.inbound(typed('text/plain; charset=iso-8859-1', yenc('invoice.zip', ZIP)))).verdict,
    ).toBe('BOUNCE');
  });
  it('(control) delivers a yEnc notes.txt that is text, in a body typed `text`', async () => {
    const message = typed('text', yenc('notes.txt', Buffer.from('Meeting at ten.\r\n')));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
  it('bounces an outgoing yEnc and a uuencoded card.txt in a body typed `text` (DLP)', async () => {
    expect(await kit.outbound(typed('text; charset=iso-8859-1', yenc('card.txt', CARD_FILE), [FROM]))).toBe(
      'BOUNCE',
    );
    expect(await kit.outbound(typed('text', uuencode(CARD_FILE, 'card.txt'), [FROM]))).toBe('BOUNCE');
  });
});

// A53-2 (medium-high, Thunderbird): the untyped-text reader pastes a begin line's name, unescaped, into a made-up
// `Content-Disposition: inline; filename="<name>"` (mimeunty.cpp), whose parser ends the value at the first quote:
// `invoice.js" .txt` is saved as invoice.js, while the guard read the extension .txt. The name cut at its first
// unescaped quote now counts beside the whole one (uu-file.ts quoteCutName), for the walk and the DLP.
describe('A53-2: a begin-line name Thunderbird cuts at a quote', () => {
  const plain = (text: string, type = 'text/plain') => typed(`${type}; charset=iso-8859-1`, text);
  const cases: Record<string, Buffer> = {
    'yEnc invoice.js" .txt': plain(yenc('invoice.js" .txt', JS)),
    'yEnc invoice.vbs"; x=.txt': plain(yenc('invoice.vbs"; x=.txt', VBS)),
    'yEnc invoice.js"; filename="invoice.txt (the first filename wins)': plain(
      yenc('invoice.js"; filename="invoice.txt', JS),
    ),
    'uuencoded invoice.js" .txt': plain(uuencode(JS, 'invoice.js" .txt')),
    'uuencoded in\\"voice.js" .txt (an escaped quote: in"voice.js)': plain(
      uuencode(JS, 'in\\"voice.js" .txt'),
    ),
    'yEnc invoice.js"; filename="invoice.txt in a body typed `text`': plain(
      yenc('invoice.js"; filename="invoice.txt', JS),
      'text',
    ),
    'yEnc invoice.js" (a quote after the name)': plain(yenc('invoice.js"', JS)),
    '(held) yEnc invoice.js<NUL>.txt (a C string ends at the NUL)': plain(yenc('invoice.js\0.txt', JS)),
    '(control) yEnc invoice.js': plain(yenc('invoice.js', JS)),
  };
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  it('(control) delivers yEnc notes.txt with the same script', async () => {
    expect((await kit.inbound(plain(yenc('notes.txt', JS)))).verdict).toBe('DEFAULT');
  });
  // Round 54: what follows a quote is read as more parameters (`"; filename*=utf-8''invoice.js`), which may rename
  // the file: a name with a quote is refused, whatever its readings say.
  it('bounces yEnc notes.txt" x: a name holding a quote', async () => {
    expect((await kit.inbound(plain(yenc('notes.txt" x', JS)))).verdict).toBe('BOUNCE');
  });
  // The DLP reads a file named .pdf as a PDF whatever its first bytes: the cut name says PDF, the whole one text.
  it('bounces an outgoing yEnc cards.pdf" .txt whose PDF header sits past 1024 bytes (DLP)', async () => {
    const pdf = Buffer.concat([Buffer.alloc(1100, 0xff), pdfFile(['Card: 4111 1111 1111 1111'])]);
    expect(
      await kit.outbound(typed('text/plain; charset=iso-8859-1', yenc('cards.pdf" .txt', pdf), [FROM])),
    ).toBe('BOUNCE');
  });
});

// A53-3 (medium, DLP): Thunderbird's yEnc decoder (mimeenc.cpp mime_decode_yenc_buffer) ends a line at a NUL and
// reads lines into a 1000-byte buffer that drops two characters of a longer one; the guard decoded both, so a
// card cut by `NUL x` after each group, or by decoys at characters 997-998, was not seen. No one decoding is
// right: a yEnc data line holding a NUL, or longer than 997 characters, now makes the file a problem: refused
// inbound, unread outbound (yenc-file.ts takeYencLine).
describe('A53-3: a yEnc line that clients decode differently', () => {
  const groups = ['card 4111', ' 1111', ' 1111', ' 1111\r\n'];
  const size = groups.join('').length;
  const nulLines = [
    `=ybegin line=128 size=${size} name=card.txt`,
    ...groups.map((g) => `${yencChars(Buffer.from(g))}\0${yencChars(Buffer.from('x'))}`),
    `=yend size=${size}`,
  ];
  it('bounces an outgoing yEnc card.txt whose lines end in NUL and a decoy (DLP)', async () => {
    expect(await kit.outbound(based(nulLines, undefined, [FROM]))).toBe('BOUNCE');
  });
  it('bounces the same in a body typed `text` (the type Thunderbird reads with its untyped reader)', async () => {
    expect(await kit.outbound(based(nulLines, 'text; charset=iso-8859-1', [FROM]))).toBe('BOUNCE');
  });
  it('bounces an outgoing yEnc card.txt with two decoy bytes at characters 997-998 of a long line (DLP)', async () => {
    const before = yencChars(Buffer.concat([Buffer.alloc(993, 0x0a), Buffer.from('4111')]));
    const after = yencChars(Buffer.from(' 1111 1111 1111\r\n'));
    expect(before.length).toBe(997);
    const size = 993 + 4 + 17;
    const lines = [
      `=ybegin line=128 size=${size} name=card.txt`,
      `${before}${yencChars(Buffer.from('QQ'))}${after}`,
      `=yend size=${size}`,
    ];
    expect(await kit.outbound(based(lines, 'text; charset=iso-8859-1', [FROM]))).toBe('BOUNCE');
  });
  it('bounces an incoming yEnc notes.txt with a NUL in a line (which file a client saves is not known)', async () => {
    const lines = [
      '=ybegin line=128 size=17 name=notes.txt',
      `${yencChars(Buffer.from('Meeting'))}\0${yencChars(Buffer.from(' at ten.\r\n'))}`,
      '=yend size=17',
    ];
    expect((await kit.inbound(based(lines))).verdict).toBe('BOUNCE');
  });
  it('(control) bounces the same card.txt (993 line feeds, then the card) in lines of 128', async () => {
    const file = Buffer.concat([Buffer.alloc(993, 0x0a), Buffer.from('4111 1111 1111 1111\r\n')]);
    const lines = yenc('card.txt', file).split('\r\n');
    expect(await kit.outbound(based(lines, 'text; charset=iso-8859-1', [FROM]))).toBe('BOUNCE');
  });
  it('(control) delivers yEnc notes.txt in lines of 128 and 256, in and out', async () => {
    const notes = Buffer.from('Meeting at ten, in the small room.\r\n'.repeat(40));
    const in128 = yenc('notes.txt', notes).split('\r\n');
    // The same data in lines of 256 (two of 128 joined).
    const in256 = [`=ybegin line=256 size=${notes.length} name=notes.txt`];
    for (let i = 1; i < in128.length - 1; i += 2) in256.push(in128.slice(i, i + 2).join(''));
    in256.push(in128.at(-1) as string);
    for (const lines of [in128, in256]) {
      expect((await kit.inbound(based(lines))).verdict).toBe('DEFAULT');
      expect(await kit.outbound(based(lines, undefined, [FROM]))).toBe('DEFAULT');
    }
  });
});
