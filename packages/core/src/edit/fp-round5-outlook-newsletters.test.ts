import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { outlookShows } from './test-support/attacker-round102-outlook-view.js';
import { CAMPAIGN_MONITOR, CONTENT } from './test-support/fp-round5-newsletters.js';

// False-positive round 5 over attacker round 102's Outlook reading: the heads (and first lines) of pages that real
// senders' tools write, each bannered as the guard banners outside mail. Browsers must show the same text as before
// with the banner on top; Outlook for Windows (as `outlookShows` models its Word engine) must show the banner on top
// and nothing the page did not show it before (no preheader or web-only text drawn as junk).
const banner = {
  text: 'This message came from outside the organization.',
  position: 'top' as const,
  dedupe: 'none' as const,
};
const WORDS = 'This message came from outside the organization.';

/** The text browsers show (parse5), with tags, comments, head and style gone. */
function browserShows(html: string): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && ['style', 'head', 'title', 'script'].includes(n.tagName)) return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html).childNodes) walk(c);
  return out.join(' ').replace(/\s+/g, ' ').trim();
}
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

const OFFICE_XML =
  '<!--[if gte mso 9]>\n<xml>\n<o:OfficeDocumentSettings>\n<o:AllowPNG/>\n<o:PixelsPerInch>96</o:PixelsPerInch>\n</o:OfficeDocumentSettings>\n</xml>\n<![endif]-->';
const PREHEADER =
  '<div style="display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">Our winter sale starts today</div>';

const templates: Record<string, string> = {
  'Mailchimp classic (Office settings under gte mso 15, preview text after <body>)': `<!doctype html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<!-- NAME: 1 COLUMN -->
<!--[if gte mso 15]>
<xml>
<o:OfficeDocumentSettings>
<o:AllowPNG/>
<o:PixelsPerInch>96</o:PixelsPerInch>
</o:OfficeDocumentSettings>
</xml>
<![endif]-->
<meta charset="UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Winter sale</title>
<style type="text/css">p{margin:10px 0;padding:0;} table{border-collapse:collapse;}</style></head>
<body>
<!--*|IF:MC_PREVIEW_TEXT|*-->
<!--[if !gte mso 9]><!----><span class="mcnPreviewText" style="display:none; font-size:0px; line-height:0px; max-height:0px; max-width:0px; opacity:0; overflow:hidden; visibility:hidden; mso-hide:all;">Our winter sale starts today</span><!--<![endif]-->
<!--*|END:IF|*-->
<center>${CONTENT}</center>
</body>
</html>`,
  'HubSpot (Office settings, an Outlook-only stylesheet, ghost tables after <body>)': `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>Winter sale</title>
${OFFICE_XML}
<!--[if mso]>
<style type="text/css">
body, table, td, h1, h2, h3, h4, h5, h6, p, a {font-family: Arial, sans-serif !important;}
</style>
<![endif]-->
<meta name="x-apple-disable-message-reformatting">
<style type="text/css">#hs_cos_wrapper_module-0-0-0 { }</style>
</head>
<body bgcolor="#f6f6f6" style="margin:0 !important; padding:0 !important; font-family:Arial, sans-serif;">
${PREHEADER}
<div id="preview_text" style="display:none!important">Our winter sale starts today</div>
<!--[if gte mso 9]><v:background xmlns:v="urn:schemas-microsoft-com:vml" fill="t"><v:fill type="tile" size="100%,100%" color="#f6f6f6"/></v:background><![endif]-->
<div class="hse-body-background" style="background-color:#f6f6f6">
<!--[if mso]><table role="presentation" width="600" align="center"><tr><td><![endif]-->
${CONTENT}
<!--[if mso]></td></tr></table><![endif]-->
</div>
</body>
</html>`,
  'Salesforce Marketing Cloud (an X-UA meta hidden from Outlook, an Office settings island)': `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, minimum-scale=1, maximum-scale=1">
<!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=Edge"><!--<![endif]-->
<!--[if !mso]><!-- --><style type="text/css">@import url('https://fonts.googleapis.com/css?family=Lato');</style><!--<![endif]-->
<style type="text/css">body{margin:0;padding:0}</style>
</head>
<body bgcolor="#ffffff" text="#000000" style="background-color:#FFFFFF;color:#000000;padding:0px;-webkit-text-size-adjust:none;font-size:16px;font-family:arial,helvetica,sans-serif;">
<div style="font-size:0;line-height:0;"><custom name="opencounter" type="tracking"><custom name="usermatch" type="tracking" /></div>
${PREHEADER}
${CONTENT}
</body>
</html>`,
  'SendGrid design editor (IE-or-Outlook settings and stylesheet, a user head block)': `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html data-editor-version="2" class="sg-campaigns" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, minimum-scale=1, maximum-scale=1">
<!--[if !mso]><!-->
<meta http-equiv="X-UA-Compatible" content="IE=Edge">
<!--<![endif]-->
<!--[if (gte mso 9)|(IE)]>
<xml>
<o:OfficeDocumentSettings>
<o:AllowPNG/>
<o:PixelsPerInch>96</o:PixelsPerInch>
</o:OfficeDocumentSettings>
</xml>
<![endif]-->
<!--[if (gte mso 9)|(IE)]>
<style type="text/css">
body {width: 600px;margin: 0 auto;}
table {border-collapse: collapse;}
table, td {mso-table-lspace: 0pt;mso-table-rspace: 0pt;}
img {-ms-interpolation-mode: bicubic;}
</style>
<![endif]-->
<style type="text/css">body, p, div { font-family: arial,helvetica,sans-serif; font-size: 14px; }</style>
<!--user entered Head Start--><!--End Head user entered-->
</head>
<body>
<center class="wrapper" data-link-color="#1188E6" data-body-style="font-size:14px; font-family:arial,helvetica,sans-serif; color:#000000; background-color:#FFFFFF;">
<div class="webkit">
<!--[if mso]>
<center>
<table><tr><td width="600">
<![endif]-->
${CONTENT}
<!--[if mso]>
</td></tr></table>
</center>
<![endif]-->
</div>
</center>
</body>
</html>`,
  'MJML 4 output (noscript Office settings, Outlook-hidden fonts, lte mso 11 sheet)': `<!doctype html>
<html lang="und" dir="auto" xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<title></title>
<!--[if !mso]><!-->
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<!--<![endif]-->
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style type="text/css">#outlook a { padding:0; } body { margin:0;padding:0; }</style>
<!--[if mso]>
<noscript>
<xml>
<o:OfficeDocumentSettings>
<o:AllowPNG/>
<o:PixelsPerInch>96</o:PixelsPerInch>
</o:OfficeDocumentSettings>
</xml>
</noscript>
<![endif]-->
<!--[if lte mso 11]>
<style type="text/css">
.mj-outlook-group-fix { width:100% !important; }
</style>
<![endif]-->
<!--[if !mso]><!-->
<link href="https://fonts.googleapis.com/css?family=Ubuntu:300,400,500,700" rel="stylesheet" type="text/css">
<style type="text/css">
@import url(https://fonts.googleapis.com/css?family=Ubuntu:300,400,500,700);
</style>
<!--<![endif]-->
<style type="text/css">@media only screen and (min-width:480px) { .mj-column-per-100 { width:100% !important; max-width: 100%; } }</style>
</head>
<body style="word-spacing:normal;">
<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">Our winter sale starts today</div>
<div style="" lang="und" dir="auto">
<!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" class="" role="presentation" style="width:600px;" width="600" ><tr><td style="line-height:0px;font-size:0px;mso-line-height-rule:exactly;"><![endif]-->
${CONTENT}
<!--[if mso | IE]></td></tr></table><![endif]-->
</div>
</body>
</html>`,
  "Litmus's and Email on Acid's boilerplate (Office settings, a font stack for Outlook, an X-UA meta)": `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title></title>
<!--[if mso]>
<noscript>
<xml>
<o:OfficeDocumentSettings>
<o:PixelsPerInch>96</o:PixelsPerInch>
</o:OfficeDocumentSettings>
</xml>
</noscript>
<![endif]-->
<!--[if mso]>
<style>
table {border-collapse:collapse;border-spacing:0;border:none;margin:0;}
div, td {padding:0;}
div {margin:0 !important;}
</style>
<![endif]-->
<!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge"><!--<![endif]-->
<style>table, td, div, h1, p {font-family: Arial, sans-serif;}</style>
</head>
<body style="margin:0;padding:0;word-spacing:normal;background-color:#939297;">
<div role="article" aria-roledescription="email" lang="en" style="text-size-adjust:100%;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%;background-color:#939297;">
<table role="presentation" style="width:100%;border:none;border-spacing:0;"><tr><td align="center" style="padding:0;">
<!--[if mso]>
<table role="presentation" align="center" style="width:600px;">
<tr>
<td>
<![endif]-->
${CONTENT}
<!--[if mso]>
</td>
</tr>
</table>
<![endif]-->
</td></tr></table>
</div>
</body>
</html>`,
  'Stripo (an mso 16 sheet, sup sizes, noscript Office settings, Word typography, Outlook-hidden fonts)': `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html dir="ltr" xmlns="http://www.w3.org/1999/xhtml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="en">
<head>
<meta charset="UTF-8">
<meta content="width=device-width, initial-scale=1" name="viewport">
<meta name="x-apple-disable-message-reformatting">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta content="telephone=no" name="format-detection">
<title>Winter sale</title><!--[if (mso 16)]>
<style type="text/css">
a {text-decoration: none;}
</style>
<![endif]--><!--[if gte mso 9]><style>sup { font-size: 100% !important; }</style><![endif]--><!--[if gte mso 9]>
<noscript>
<xml>
<o:OfficeDocumentSettings>
<o:AllowPNG></o:AllowPNG>
<o:PixelsPerInch>96</o:PixelsPerInch>
</o:OfficeDocumentSettings>
</xml>
</noscript>
<![endif]--><!--[if mso]><xml>
<w:WordDocument xmlns:w="urn:schemas-microsoft-com:office:word">
<w:DontUseAdvancedTypographyReadingMail/>
</w:WordDocument>
</xml><![endif]--><!--[if !mso]><!-- -->
<link href="https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap" rel="stylesheet"><!--<![endif]-->
<style type="text/css">.es-wrapper{width:100%;height:100%;}</style>
</head>
<body class="body" style="width:100%;height:100%;padding:0;Margin:0">
<span class="es-hidden" style="display:none;font-size:0px;color:transparent;line-height:0;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">Our winter sale starts today</span>
<div dir="ltr" class="es-wrapper-color" lang="en"><!--[if gte mso 9]>
<v:background xmlns:v="urn:schemas-microsoft-com:vml" fill="t">
<v:fill type="tile" color="#f6f6f6"></v:fill>
</v:background>
<![endif]-->
${CONTENT}
</div>
</body>
</html>`,
  'BEE (Beefree: Word and Office settings in one island, Outlook-hidden fonts, an mso sheet spaced before its endif)': `<!DOCTYPE html>
<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="en">
<head>
<title></title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><!--[if mso]>
<xml><w:WordDocument xmlns:w="urn:schemas-microsoft-com:office:word"><w:DontUseAdvancedTypographyReadingMail/></w:WordDocument>
<o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch><o:AllowPNG/></o:OfficeDocumentSettings></xml>
<![endif]--><!--[if !mso]><!-->
<link href="https://fonts.googleapis.com/css?family=Montserrat" rel="stylesheet" type="text/css"><!--<![endif]-->
<style>* { box-sizing: border-box; } body { margin: 0; padding: 0; }</style><!--[if mso ]><style>sup, sub { font-size: 100% !important; } sup { mso-text-raise:10% } sub { mso-text-raise:-10% }</style> <![endif]-->
</head>
<body class="body" style="background-color: #ffffff; margin: 0; padding: 0; -webkit-text-size-adjust: none; text-size-adjust: none;">
${CONTENT}
</body>
</html>`,
  'Cerberus (a commented-out font link inside an Outlook-hidden stretch, comments before <body>)': `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8"> <!-- utf-8 works for most cases -->
<meta name="viewport" content="width=device-width"> <!-- Forcing initial-scale shouldn't be necessary -->
<meta http-equiv="X-UA-Compatible" content="IE=edge"> <!-- Use the latest (edge) version of IE rendering engine -->
<title></title> <!-- The title tag shows in email notifications, like Android 4.4. -->
<!-- What it does: Makes background images in 72ppi Outlook render at correct size. -->
${OFFICE_XML}
<!-- Desktop Outlook chokes on web font references and defaults to Times New Roman, so we force a safe fallback font. -->
<!--[if mso]>
<style>
* {
font-family: sans-serif !important;
}
</style>
<![endif]-->
<!--[if !mso]><!-->
<!-- insert web font reference, eg: <link href='https://fonts.googleapis.com/css?family=Roboto:400,700' rel='stylesheet' type='text/css'> -->
<!--<![endif]-->
<style>html, body { margin: 0 auto !important; padding: 0 !important; }</style>
</head>
<!--
The email background color (#222222) is defined in three places:
1. body tag: for most email clients
2. center tag: for Gmail and Inbox mobile apps
3. mso conditional: For Windows 10 Mail
-->
<body width="100%" style="margin: 0; padding: 0 !important; mso-line-height-rule: exactly; background-color: #222222;">
<center role="article" aria-roledescription="email" lang="en" style="width: 100%; background-color: #222222;">
<!--[if mso | IE]>
<table role="presentation" border="0" cellpadding="0" cellspacing="0" width="100%" style="background-color: #222222;">
<tr>
<td>
<![endif]-->
<div style="max-height:0; overflow:hidden; mso-hide:all;" aria-hidden="true">Our winter sale starts today</div>
${CONTENT}
<!--[if mso | IE]>
</td>
</tr>
</table>
<![endif]-->
</center>
</body>
</html>`,
  'a message written in Outlook (Word 15 filtered medium: a VML sheet hidden from Outlook, shape defaults)': `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}
o\\:* {behavior:url(#default#VML);}
w\\:* {behavior:url(#default#VML);}
.shape {behavior:url(#default#VML);}
</style><![endif]--><style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0in;
	font-size:11.0pt;
	font-family:"Calibri",sans-serif;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->
</head>
<body lang="EN-US" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
<div class="WordSection1">
<p class="MsoNormal">Hi Ann,<o:p></o:p></p>
<p class="MsoNormal">Please find the revised quote attached.<o:p></o:p></p>
</div>
</body>
</html>`,
  'a page Word saved as HTML (document properties, Word settings, latent styles, an mso 10 sheet)': `<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=windows-1252">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="quote_files/filelist.xml">
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Ann Smith</o:Author>
  <o:Revision>2</o:Revision>
  <o:Pages>1</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<link rel=themeData href="quote_files/themedata.thmx">
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:TrackMoves>false</w:TrackMoves>
  <w:ValidateAgainstSchemas/>
 </w:WordDocument>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:LatentStyles DefLockedState="false" DefUnhideWhenUsed="false" LatentStyleCount="376">
  <w:LsdException Locked="false" Priority="0" QFormat="true" Name="Normal"/>
 </w:LatentStyles>
</xml><![endif]-->
<style>
<!--
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0cm;
	font-size:12.0pt;}
-->
</style>
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable
	{mso-style-name:"Table Normal";
	mso-tstyle-rowband-size:0;}
</style>
<![endif]-->
</head>
<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>
<div class=WordSection1>
<p class=MsoNormal>Quote 2026-114 for the spring catalogue.<o:p></o:p></p>
</div>
</body>
</html>`,
  'an Apple Mail message (no conditional markup)': `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;"><div>Hi Ann,</div><div><br></div><div>See you Thursday.</div><div><br><blockquote type="cite"><div>On 4 Dec 2026, at 10:12, Bob wrote:</div><br><div><div>Does Thursday work?</div></div></blockquote></div></body></html>`,
  'a Gmail forward of a newsletter (a fragment, the newsletter quoted)': `<div dir="ltr"><br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">Shop</strong> <span dir="auto">&lt;news@shop.example&gt;</span><br></div><br><br><div><div style="display:none;max-height:0px;overflow:hidden">Our winter sale starts today</div>${CONTENT}</div></div></div>`,
};

describe('FP5: newsletter and mail-client pages keep their Outlook markup and show the banner on top', () => {
  for (const [name, html] of Object.entries(templates))
    it(name, () => {
      const out = disclaimHtml(html, banner);
      // Nothing before their body shows Outlook more than head material: every marker is kept.
      expect(out).not.toContain('wmflow-off');
      // Browsers: the banner, then the same text as before.
      expect(browserShows(out)).toBe(squash(`${WORDS} ${browserShows(html)}`));
      // Outlook: the banner on top, then what it showed before, no more.
      expect(squash(outlookShows(out))).toBe(squash(`${WORDS} ${outlookShows(html)}`));
    });
});

// A page built on a web boilerplate: `<html>` classes for old Internet Explorer, and a script shiv for it.
const IE_CLASSES = `<!DOCTYPE html>
<!--[if lt IE 7]><html class="no-js ie6 oldie" lang="en"><![endif]-->
<!--[if IE 7]><html class="no-js ie7 oldie" lang="en"><![endif]-->
<!--[if gt IE 8]><!--><html class="no-js" lang="en"><!--<![endif]-->
<head>
<meta charset="utf-8">
${OFFICE_XML}
<!--[if lt IE 9]><script src="https://oss.maxcdn.com/html5shiv/3.7.3/html5shiv.min.js"></script><![endif]-->
<!--[if !mso]><!--><style type="text/css">@import url(https://fonts.googleapis.com/css?family=Lato);</style><!--<![endif]-->
</head>
<body>
${CONTENT}
</body>
</html>`;

describe('FP5: Outlook-only markup that is not head material costs only itself', () => {
  const cases: Record<string, [string, string[]]> = {
    "Campaign Monitor (an Outlook-only <body class='mso'>, the other body in an Outlook-hidden stretch)": [
      CAMPAIGN_MONITOR,
      [
        '<!--wmflow-off [if mso]>\n  <body class="mso">',
        '<!--wmflow-off [if !mso]><!-->\n  <body class="full-padding"',
      ],
    ],
    'a web boilerplate (html classes and a script shiv for old Internet Explorer)': [
      IE_CLASSES,
      ['<!--wmflow-off [if lt IE 7]>', '<!--wmflow-off [if IE 7]>', '<!--wmflow-off [if lt IE 9]>'],
    ],
  };
  for (const [name, [html, disabled]] of Object.entries(cases))
    it(name, () => {
      const out = disclaimHtml(html, banner);
      for (const marker of disabled) expect(out).toContain(marker);
      expect(out.match(/wmflow-off/g)).toHaveLength(disabled.length);
      // The head's Office settings and its Outlook-hidden web fonts are kept.
      expect(out).toMatch(/<!--\[if gte mso 9\]>\s*<xml>/);
      expect(out).toMatch(/<!--\[if !mso\]><!--><style type="text\/css">\s*@import/);
      expect(browserShows(out)).toBe(squash(`${WORDS} ${browserShows(html)}`));
      expect(squash(outlookShows(out))).toBe(squash(`${WORDS} ${outlookShows(html)}`));
    });
});

// A page with no `<body>` tag before its first element (a fragment a transactional system sends, or a page whose
// `<body>` tag comes late), a preheader hidden from Outlook by a stretch (Outlook draws `display:none` text). The
// browser opens the body at the preheader, inside the stretch; round 102 put the banner there and disabled the
// stretch's opener (Outlook would skip the banner), so Outlook drew the preheader below the banner. The banner now goes
// before the opener, which is kept.
describe('FP5: Outlook markup right before the first element of a page without a body tag', () => {
  const pages: Record<string, string> = {
    'a fragment': `<!--[if !mso]><!--><div style="display:none;max-height:0;overflow:hidden">Your receipt for order 1042</div><!--<![endif]-->${CONTENT}`,
    "an MJML fragment (Outlook's table opened before its first element)": `<!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:600px;" width="600"><tr><td style="line-height:0px;font-size:0px;mso-line-height-rule:exactly;"><![endif]--><div style="margin:0px auto;max-width:600px;">${CONTENT}</div><!--[if mso | IE]></td></tr></table><![endif]-->`,
    'a fragment opening with an Outlook-only stylesheet, then a preheader hidden from Outlook': `<!--[if mso]><style>td{font-family:Arial,sans-serif}</style><![endif]--><!--[if !mso]><!--><div style="display:none;max-height:0;overflow:hidden">Your receipt for order 1042</div><!--<![endif]-->${CONTENT}`,
    'a page whose <body> tag comes after the preheader': `<html><head><title>Receipt</title></head>\n<!--[if !mso]><!-->\n<div style="display:none;max-height:0;overflow:hidden">Your receipt for order 1042</div>\n<!--<![endif]-->\n<body>${CONTENT}</body></html>`,
  };
  for (const [name, html] of Object.entries(pages))
    it(`keeps it, the banner on top in Outlook and browsers: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      expect(out).not.toContain('wmflow-off');
      // Head material stays before the banner (Word reads an Outlook-only stylesheet there).
      if (html.includes('<style>'))
        expect(out.indexOf('<!--[if mso]><style>')).toBeLessThan(out.indexOf(WORDS));
      expect(browserShows(out)).toBe(squash(`${WORDS} ${browserShows(html)}`));
      expect(squash(outlookShows(out))).toBe(squash(`${WORDS} ${outlookShows(html)}`));
    });
});

// The same place for what round 102 closed, in a fragment: Outlook-only markup before its first text now follows the
// banner, so it can neither hide the banner nor draw above it.
describe('FP5 controls: Outlook-only markup opening a fragment cannot hide the banner', () => {
  const attacks: Record<string, string> = {
    'an mso-hide:all div opened for Outlook': `<!--[if mso]><div style="mso-hide:all"><![endif]--><p>Your mailbox is full</p>`,
    'text drawn for Outlook alone': `<!--[if mso]><p>Corp IT Service Desk (internal)</p><![endif]--><p>Your mailbox is full</p>`,
    'an Outlook-hidden stretch then a block': `<!--[if !mso]><!--><!--[if mso]><span style="mso-hide:all"><![endif]--><p>Your mailbox is full</p><!--<![endif]-->`,
    'a bare-form stretch': `<![if !mso]><p>Your mailbox is full</p><![endif]>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(name, () => {
      const out = disclaimHtml(html, banner);
      expect(squash(outlookShows(out)).startsWith(WORDS)).toBe(true);
      expect(browserShows(out).startsWith(WORDS)).toBe(true);
    });
});
