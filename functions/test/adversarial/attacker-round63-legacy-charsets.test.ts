import { compoundFile, zipFile } from '@wmflow/core/testing';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { DOCX, W } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-1 (high, DLP, careless insider): a card in a text file saved in the sender's Windows code
// page. An attachment seldom declares its charset (Outlook sends `text/plain; name="memo.txt"`, a CSV goes as
// `application/vnd.ms-excel`), and the recipient's Notepad, Excel or browser does not read one anyway: a file that is
// not UTF-8 is shown in the system's code page. The DLP read such bytes as UTF-8 only, so what a legacy code page
// draws as a separator or a digit was lost: on a Western European Windows a non-breaking space (0xA0) or an en dash
// (0x96) between the groups (Excel's CSV export of a pasted number, Word's AutoFormat) became U+FFFD and split the
// card; on a Japanese, Chinese or Korean one a digit typed with the IME on is a full-width digit of two bytes
// (Shift_JIS `82 53` is ４), which no byte reads as a digit, so an Excel CSV of bookings (Shift_JIS is Excel's CSV
// on a Japanese Windows), a Notepad memo, a saved web page with `<meta charset="shift_jis">`, a vCard with no
// CHARSET (its value raw or quoted-printable), or an ANSI Outlook `.msg` carried the number out. Text that is not
// UTF-8 is now also read as Windows-1252 and, where full-width digits of a double-byte code page show in it, in that
// code page (legacy-charsets.ts), a vCard's quoted-printable values likewise, and an OLE file's strings in a
// double-byte code page where four of its digits stand in a row. Each attack was sent (DEFAULT) before the fix;
// each control is sent as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const FULL = '４１１１　１１１１　１１１１　１１１１';

describe('A63-1: a text file in a legacy code page', () => {
  const attacks: Record<string, () => Buffer> = {
    'a Windows-1252 memo with non-breaking spaces': () =>
      outboundFile(
        'memo.txt',
        Buffer.from('Karte für Herrn Müller: 4111\xa01111\xa01111\xa01111\r\n', 'latin1'),
        'text/plain',
      ),
    'a Windows-1252 CSV with en dashes, sent as an octet stream': () =>
      outboundFile(
        'buchungen.csv',
        Buffer.from('Name;Karte\r\nMüller;5555\x965555\x965555\x964444\r\n', 'latin1'),
      ),
    'a Windows-1252 page with a meta charset': () =>
      outboundFile(
        'booking.html',
        Buffer.from(
          '<html><head><meta charset="windows-1252"></head><body><p>Müller 4111\xa01111\xa01111\xa01111</p></body></html>',
          'latin1',
        ),
        'text/html',
      ),
    'an Excel CSV in Shift_JIS with full-width digits': () =>
      outboundFile(
        'bookings.csv',
        iconv.encode(`氏名,カード番号\r\n山田太郎,４１１１－１１１１－１１１１－１１１１\r\n`, 'shift_jis'),
        'application/vnd.ms-excel',
      ),
    'a Notepad memo in Shift_JIS': () =>
      outboundFile('memo.txt', iconv.encode(`カード番号：${FULL}\r\n`, 'shift_jis'), 'text/plain'),
    'a memo in EUC-JP': () =>
      outboundFile('memo.txt', iconv.encode(`カード番号：${FULL}\r\n`, 'euc-jp'), 'text/plain'),
    'a memo in GBK': () => outboundFile('memo.txt', iconv.encode(`卡号：${FULL}\r\n`, 'gbk'), 'text/plain'),
    'a memo in Big5': () => outboundFile('memo.txt', iconv.encode(`卡號：${FULL}\r\n`, 'big5'), 'text/plain'),
    'a memo in EUC-KR': () =>
      outboundFile('memo.txt', iconv.encode(`카드번호: ${FULL}\r\n`, 'euc-kr'), 'text/plain'),
    'a saved page in Shift_JIS': () =>
      outboundFile(
        'page.html',
        Buffer.concat([
          Buffer.from('<html><head><meta charset="shift_jis"></head><body>'),
          iconv.encode(`<p>${FULL}</p>`, 'shift_jis'),
          Buffer.from('</body></html>'),
        ]),
        'text/html',
      ),
    'a vCard in Shift_JIS without a CHARSET': () =>
      outboundFile(
        'yamada.vcf',
        Buffer.concat([
          Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Yamada;Taro\r\nNOTE:'),
          iconv.encode(FULL, 'shift_jis'),
          Buffer.from('\r\nEND:VCARD\r\n'),
        ]),
        'text/x-vcard',
      ),
    'a vCard note in quoted-printable Windows-1252 without a CHARSET': () =>
      outboundFile(
        'mueller.vcf',
        Buffer.from(
          'BEGIN:VCARD\r\nVERSION:2.1\r\nN:M=FCller;Hans\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Karte M=FCller: 4111=A01111=A01111=A01111\r\nEND:VCARD\r\n',
        ),
        'text/x-vcard',
      ),
    'a vCard note in quoted-printable Shift_JIS without a CHARSET': () =>
      outboundFile(
        'yamada.vcf',
        Buffer.from(
          `BEGIN:VCARD\r\nVERSION:2.1\r\nN:Yamada\r\nNOTE;ENCODING=QUOTED-PRINTABLE:${[
            ...iconv.encode(FULL, 'shift_jis'),
          ]
            .map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`)
            .join('')}\r\nEND:VCARD\r\n`,
        ),
        'text/x-vcard',
      ),
    'a Word part in XML declaring ISO-8859-1': () =>
      outboundFile(
        'letter.docx',
        zipFile([
          {
            name: 'word/document.xml',
            data: Buffer.from(
              `<?xml version="1.0" encoding="ISO-8859-1"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>Müller 4111\xa01111\xa01111\xa01111</w:t></w:r></w:p></w:body></w:document>`,
              'latin1',
            ),
          },
        ]),
        DOCX,
      ),
    'an ANSI Outlook message file': () =>
      outboundFile(
        'booking.msg',
        compoundFile([['__substg1.0_1000001E', iconv.encode(`カード番号：${FULL}`, 'shift_jis')]]),
        'application/vnd.ms-outlook',
      ),
  };
  for (const [how, build] of Object.entries(attacks))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(build())).toBe('BOUNCE');
    });
  it('bounces a body sent as 8-bit Shift_JIS without a charset', async () => {
    const message = mail(
      ['From: Bob <bob@corp.example>', 'Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit'],
      iconv.encode(`カード番号：${FULL}\r\n`, 'shift_jis'),
    );
    expect(await kit.outbound(message)).toBe('BOUNCE');
  });
});

describe('A63-1 controls: legacy text without a card is sent', () => {
  const controls: Record<string, () => Buffer> = {
    'a Windows-1252 price list': () =>
      outboundFile(
        'preise.csv',
        Buffer.from(
          'Artikel;Preis\r\nMüsli;1\xa0234,56 €\r\nKäse;12\x96 15 €\r\nBestellnummer;4111\xa01111\xa01111\xa01112\r\n',
          'latin1',
        ),
        'text/csv',
      ),
    'a Shift_JIS CSV of full-width phone numbers and order numbers': () =>
      outboundFile(
        'orders.csv',
        iconv.encode(
          '注文番号,電話\r\n１２３４－５６７８－９０１２－３４５６,０３－１２３４－５６７８\r\n２０２６,１２３４\r\n',
          'shift_jis',
        ),
        'application/vnd.ms-excel',
      ),
    'a vCard note in quoted-printable Windows-1252 with a phone number': () =>
      outboundFile(
        'mueller.vcf',
        Buffer.from(
          'BEGIN:VCARD\r\nVERSION:2.1\r\nN:M=FCller;Hans\r\nTEL;WORK:+49=A030=A01234=A05678\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Gr=FC=DFe\r\nEND:VCARD\r\n',
        ),
        'text/x-vcard',
      ),
    'a Big5 memo with a date': () =>
      outboundFile('memo.txt', iconv.encode('日期：２０２６年１２月６日', 'big5'), 'text/plain'),
    'an OLE file whose strings hold no card': () =>
      outboundFile(
        'booking.msg',
        compoundFile([['__substg1.0_1000001E', iconv.encode('予約番号：１２３４　５６７８', 'shift_jis')]]),
        'application/vnd.ms-outlook',
      ),
  };
  for (const [how, build] of Object.entries(controls))
    it(`(control) sends ${how}`, async () => {
      expect(await kit.outbound(build())).toBe('DEFAULT');
    });
});
