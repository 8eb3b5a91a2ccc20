import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { outlookShows } from '../../../packages/core/src/edit/test-support/attacker-round102-outlook-view.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A102: round 100 left Outlook for Windows' own markup unprobed. Its Word engine reads conditional comments in the
// page's source, where browsers (and the guard's scan of the page) see comments. An outside sender put, before the
// `<body>` tag the banner goes after:
// - `<!--[if !mso]><!-->` (or `<![if !mso]>`), closed after the banner by `<!--<![endif]-->`: Outlook skipped the banner;
// - `<!--[if mso]><div style="mso-hide:all"><![endif]-->`: Outlook kept the div open around the banner and hid it;
// - `<!--[if mso]><p>Corp IT Service Desk (internal)</p><![endif]-->`: text Outlook alone drew above the banner;
// and a stylesheet's `div{mso-hide:all}` hid the banner's own block. Every other client showed the banner on top, so
// only a test of what Outlook reads catches it (`outlookShows`: the conditional comments handled as Word handles
// them, then `mso-hide:all` taken out, an ancestor's hiding never undone).
const kit = attackerKit(useLocalStack());
const FROM = 'From: IT Service Desk <it-desk@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full. Sign in at https://evil.example/owa to keep your mail.</p>';

async function delivered(html: string, type = 'Content-Type: text/html; charset=utf-8') {
  const { verdict, delivered } = await kit.inbound(mail([FROM, type], `${html}\r\n`));
  expect(verdict).toBe('DEFAULT');
  const parsed = await simpleParser(delivered);
  expect(parsed.subject).toMatch(/^\[EXTERNAL\]/);
  return parsed.html || '';
}

describe('A102: the banner hidden from Outlook by its conditional comments', () => {
  const attacks: Record<string, string> = {
    'an Outlook-hidden stretch from before <body> to after the banner': `<html><head><title>Mailbox</title></head><!--[if !mso]><!--><body><!--<![endif]-->${PHISH}</body></html>`,
    'the same in its bare form (<![if !mso]>)': `<html><head></head><![if !mso]><body><![endif]>${PHISH}</body></html>`,
    'the same with a doctype and a four-dash opener': `<!DOCTYPE html><html><head></head><!--[if !mso]><!----><body style="margin:0"><!--<![endif]-->${PHISH}</body></html>`,
    'an Outlook-only div with mso-hide:all around the banner': `<html><head></head><!--[if mso]><div style="mso-hide:all"><![endif]--><body><!--[if mso]></div><![endif]-->${PHISH}</body></html>`,
    'an Outlook-only span with mso-hide:all opened in the head': `<html><head><!--[if gte mso 9]><span style="mso-hide:all"><![endif]--></head><body>${PHISH}</body></html>`,
    'an Outlook-only table hidden by a class': `<html><head><style>.o{mso-hide:all}</style><!--[if mso]><table class="o"><tr><td><![endif]--></head><body><!--[if mso]></td></tr></table><![endif]-->${PHISH}</body></html>`,
    "a stylesheet hiding every div, paragraph and span (the banner's own)": `<html><head><style>div,p,span{mso-hide:all}</style></head><body><table><tr><td>Your mailbox is full. Sign in at https://evil.example/owa to keep your mail.</td></tr></table></body></html>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(`shows Outlook the banner above the sender's text: ${name}`, async () => {
      const page = await delivered(html);
      const outlook = outlookShows(page);
      expect(outlook).toContain('Your mailbox is full');
      expect(outlook).toContain(WORDS);
      expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('Your mailbox is full'));
    });

  it('draws no Outlook-only text above the banner', async () => {
    const page = await delivered(
      `<html><head></head><!--[if mso]><p><b>Corp IT Service Desk</b> (internal notice)</p><![endif]--><body>${PHISH}</body></html>`,
    );
    expect(outlookShows(page).trimStart()).toMatch(/^This message came from outside the organization/);
  });

  it('does so in every branch of an alternative, quoted-printable included', async () => {
    const body = [
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your mailbox is full.',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      `<html><head></head><!--[if !mso]><!--><body><!--<![endif]-->${PHISH.replaceAll('=', '=3D')}</body></html>`,
      '--b--',
      '',
    ].join('\r\n');
    const { verdict, delivered: bytes } = await kit.inbound(
      mail([FROM, 'Content-Type: multipart/alternative; boundary="b"'], body),
    );
    expect(verdict).toBe('DEFAULT');
    const outlook = outlookShows((await simpleParser(bytes)).html || '');
    expect(outlook.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
    expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('Your mailbox is full'));
  });
});

describe('A102 controls: ordinary newsletters keep their Outlook markup', () => {
  const MJML = [
    '<!doctype html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">',
    '<head><title>Weekly news</title>',
    '<!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge"><!--<![endif]-->',
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]-->',
    '<!--[if lte mso 11]><style type="text/css">.mj-outlook-group-fix { width:100% !important; }</style><![endif]-->',
    '<!--[if !mso]><!--><link href="https://fonts.googleapis.com/css?family=Ubuntu:300,400,500,700" rel="stylesheet" type="text/css"><style type="text/css">@import url(https://fonts.googleapis.com/css?family=Ubuntu:300,400,500,700);</style><!--<![endif]-->',
    '</head><body style="word-spacing:normal;">',
    '<div><!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" class="" style="width:600px;" width="600" ><tr><td style="line-height:0px;font-size:0px;mso-line-height-rule:exactly;"><![endif]-->',
    '<p>This week: the new canteen menu.</p>',
    '<!--[if mso | IE]></td></tr></table><![endif]--></div></body></html>',
  ].join('\r\n');

  it('banners an MJML newsletter for Outlook and keeps its conditional comments', async () => {
    const page = await delivered(MJML);
    const outlook = outlookShows(page);
    expect(outlook.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
    expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('canteen'));
    expect(page).toContain('<!--[if lte mso 11]><style type="text/css">');
    expect(page).toContain('<!--[if mso | IE]><table align="center"');
  });

  it('keeps a Word-written page (Office settings in its head, a list bullet only Word hides) as written', async () => {
    const word =
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15">' +
      '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]-->' +
      '<!--[if gte mso 9]><xml><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1" /></o:shapelayout></xml><![endif]-->' +
      '</head><body lang=EN-GB><div class=WordSection1><p class=MsoListParagraph><![if !supportLists]><span>1.<span>&nbsp;</span></span><![endif]>Minutes attached.<o:p></o:p></p></div></body></html>';
    const page = await delivered(word);
    expect(page).not.toContain('wmflow-off');
    expect(outlookShows(page).indexOf(WORDS)).toBeLessThan(outlookShows(page).indexOf('Minutes attached'));
  });
});
