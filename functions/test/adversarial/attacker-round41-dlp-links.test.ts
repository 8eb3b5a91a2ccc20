import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 41, outbound-policy's sensitive-data rule at its defaults: a card number the recipient's client
// shows, carried where no reading of the HTML body looked. Each control bounced; each attack was sent (DEFAULT)
// before the fix (link-texts.ts: link targets, ScreenTips and data: URLs read).
const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const html = (body: string) =>
  mail(
    ['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'],
    `<html><body>${body}</body></html>`,
  );
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40"><text x="4" y="26" font-size="20">${CARD}</text></svg>`;
const svg64 = Buffer.from(svg).toString('base64');

// A41-4. An SVG picture inline in the HTML body as a `data:` URL: Apple Mail (macOS, iOS), Outlook for Mac and
// Thunderbird draw `<img src="data:image/svg+xml,…">` (and a CSS background of one) with its `<text>`, so the
// recipient reads the card. The same SVG attached as a file, or written inline as `<svg>`, is read and bounces;
// in a data: URL it is an attribute value, which no reading decodes.
describe('A41-4 DLP: a card drawn by an SVG carried in a data: URL of the HTML body', () => {
  it('control: the SVG attached as card.svg bounces', async () => {
    expect(await kit.outbound(outboundFile('card.svg', Buffer.from(svg), 'image/svg+xml'))).toBe('BOUNCE');
  });
  it('control: the SVG written inline in the body bounces', async () => {
    expect(await kit.outbound(html(`<p>Card on file:</p>${svg}`))).toBe('BOUNCE');
  });
  it('<img src="data:image/svg+xml;base64,…"> bounces', async () => {
    expect(
      await kit.outbound(html(`<p>Card on file:</p><img src="data:image/svg+xml;base64,${svg64}">`)),
    ).toBe('BOUNCE');
  });
  it('<img src="data:image/svg+xml,…"> (percent-encoded) bounces', async () => {
    expect(
      await kit.outbound(
        html(`<p>Card on file:</p><img src="data:image/svg+xml,${encodeURIComponent(svg)}">`),
      ),
    ).toBe('BOUNCE');
  });
  it('control: <img src="data:image/svg+xml;utf8,<svg…>"> (the SVG as written) bounces', async () => {
    expect(await kit.outbound(html(`<p>Card on file:</p><img src='data:image/svg+xml;utf8,${svg}'>`))).toBe(
      'BOUNCE',
    );
  });
  it('a CSS background-image of a data: SVG bounces', async () => {
    expect(
      await kit.outbound(
        html(
          `<p>Card on file:</p><div style="width:320px;height:40px;background-image:url('data:image/svg+xml;base64,${svg64}')"></div>`,
        ),
      ),
    ).toBe('BOUNCE');
  });
});

// A41-5. A card in a link's target: `<a href="https://crm.example/customer?pan=4111111111111111">the customer
// record</a>`, as a support agent pastes a link from an internal tool into a reply. Every client shows the target
// on hover (Outlook's tooltip, the status bar of Apple Mail, Thunderbird and webmail), Outlook's and Thunderbird's
// plain-text view write it out beside the link text, and the number leaves the organization in the message. The
// body's readings drop attribute values but for alt text, titles, placeholders and values.
describe('A41-5 DLP: a card in a link target', () => {
  it('control: the same link written in the text bounces', async () => {
    expect(await kit.outbound(html('<p>See https://crm.example/customer?pan=4111111111111111</p>'))).toBe(
      'BOUNCE',
    );
  });
  it('control: the card in the link title bounces', async () => {
    expect(
      await kit.outbound(html(`<p>See <a href="https://crm.example/c" title="${CARD}">the record</a></p>`)),
    ).toBe('BOUNCE');
  });
  it('<a href="…?pan=4111111111111111"> bounces', async () => {
    expect(
      await kit.outbound(
        html(
          '<p>See <a href="https://crm.example/customer?pan=4111111111111111">the customer record</a>.</p>',
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('<a href="…?card=4111%201111%201111%201111"> (shown decoded in the status bar) bounces', async () => {
    expect(
      await kit.outbound(
        html(
          '<p>See <a href="https://pay.example/checkout?card=4111%201111%201111%201111">the payment</a>.</p>',
        ),
      ),
    ).toBe('BOUNCE');
  });
});

// A41-5, in a Word document: the hyperlink's target (in `word/_rels/document.xml.rels`, which Word shows on hover
// and in Edit Hyperlink) and its ScreenTip (`w:tooltip`, the text Word shows on hover, the counterpart of an HTML
// title, which is read) are both sent.
const CT =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const docx = (target: string, linkText = 'the customer record', tooltip = '') =>
  zipFile([
    { name: '[Content_Types].xml', data: CT },
    { name: '_rels/.rels', data: RELS },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId9"${tooltip ? ` w:tooltip="${tooltip}"` : ''}><w:r><w:t>${linkText}</w:t></w:r></w:hyperlink></w:p></w:body></w:document>`,
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${target}" TargetMode="External"/></Relationships>`,
    },
  ]);
describe('A41-5 DLP: a card in a Word hyperlink target or ScreenTip', () => {
  it('control: the card as the link text bounces', async () => {
    expect(await kit.outbound(outboundFile('record.docx', docx('https://crm.example/c', CARD)))).toBe(
      'BOUNCE',
    );
  });
  it('the card in the hyperlink target bounces', async () => {
    expect(
      await kit.outbound(
        outboundFile('record.docx', docx('https://crm.example/customer?pan=4111111111111111')),
      ),
    ).toBe('BOUNCE');
  });
  it('the card in the hyperlink ScreenTip (w:tooltip) bounces', async () => {
    expect(
      await kit.outbound(
        outboundFile('record.docx', docx('https://crm.example/c', 'the customer record', CARD)),
      ),
    ).toBe('BOUNCE');
  });
});
